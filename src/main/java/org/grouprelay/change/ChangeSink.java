package org.grouprelay.change;

import java.util.concurrent.CompletionStage;

/**
 * Where captured changes go, in two steps around the directory's own write. {@link #prepare} runs
 * before the directory applies the operation: it records the change set (a write-ahead intent, on
 * disk before the directory commits: {@link Intent#awaitDurable}) and may refuse it (strict mode).
 * The returned {@link Intent} then learns the directory's verdict. {@link Intent#committed} runs while the directory still holds its write lock, so it must
 * be quick and must not throw: it only hands the set over and says when the reply may be sent.
 */
public interface ChangeSink {
    Intent prepare(ChangeSet changes) throws ChangeRefused;

    /** A prepared change set waiting for the directory's verdict. */
    interface Intent {
        /**
         * Returns once the intent is on disk. The directory calls it after applying the operation and before
         * committing it, so the intent's fsync overlaps the directory's own work instead of preceding it.
         */
        default void awaitDurable() {
        }

        /**
         * The directory committed the operation. The returned stage completes when the operation's
         * reply may be sent: the set reached every target, or the deadline passed (it is then queued).
         */
        CompletionStage<Void> committed();

        /** The directory refused the operation after all: undo what {@link #prepare} did. */
        void aborted();
    }
}
