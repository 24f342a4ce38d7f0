package org.grouprelay.directory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.directory.server.core.api.partition.PartitionTxn;
import org.apache.directory.server.core.api.partition.PartitionWriteTxn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A write transaction of grouprelay's data partition that runs actions right after it committed (or
 * aborted), while the directory still holds its write lock. ApacheDS commits an operation once the
 * interceptor chain returned; an interceptor that must act on the committed state registers here
 * instead of committing itself. With JDBM, every commit syncs the partition's files even when nothing
 * is left to write, so a second commit of the same operation costs a full fsync cycle under the lock.
 */
public final class CommitActions extends PartitionWriteTxn {
    private static final Logger log = LoggerFactory.getLogger(CommitActions.class);

    private final PartitionTxn delegate;
    private final List<Runnable> onCommit = new ArrayList<>();
    private final List<Runnable> onAbort = new ArrayList<>();

    CommitActions(PartitionTxn delegate) {
        this.delegate = delegate;
    }

    /** {@code committed} runs once this transaction committed; {@code aborted} if it is rolled back instead. */
    public void afterCommit(Runnable committed, Runnable aborted) {
        onCommit.add(committed);
        onAbort.add(aborted);
    }

    /**
     * Commits, then runs the commit actions. A failure (a full disk, a value JDBM cannot serialise) is
     * an {@link IOException}, which ApacheDS answers by aborting the transaction (the abort actions run)
     * and refusing the operation with a message that says so.
     */
    @Override
    public void commit() throws IOException {
        try {
            delegate.commit();
        } catch (IOException | RuntimeException e) {
            throw new IOException("the directory could not store the change: " + e.getMessage(), e);
        } catch (Error e) {
            run(onAbort);
            throw e;
        }
        run(onCommit);
    }

    @Override
    public void abort() throws IOException {
        try {
            delegate.abort();
        } finally {
            run(onAbort);
        }
    }

    @Override
    public boolean isClosed() {
        return delegate.isClosed();
    }

    /** As JDBM's transaction: closing commits. */
    @Override
    public void close() throws IOException {
        commit();
    }

    /** Runs and forgets the actions of one outcome (both lists are cleared: each action runs at most once). */
    private void run(List<Runnable> actions) {
        List<Runnable> due = List.copyOf(actions);
        onCommit.clear();
        onAbort.clear();
        for (Runnable action : due) {
            try {
                action.run();
            } catch (RuntimeException e) {
                // the partition's outcome stands: an action must not turn a commit into an error reply
                log.error("an action after the partition's commit failed: {}", e.toString(), e);
            }
        }
    }
}
