package org.grouprelay.targets;

import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How to undo what a session without transactions (an HTTP API) already did: each call records its undo step, a commit
 * forgets them, a rollback runs them newest first. A step that fails is logged and the rest still run: the consistency
 * check reports what is left.
 */
public final class UndoLog {
    private static final Logger log = LoggerFactory.getLogger(UndoLog.class);

    /** One undo step. */
    public interface Undo {
        void run() throws TargetException;
    }

    private record Step(String what, Undo undo) {
    }

    private final Deque<Step> steps = new ArrayDeque<>();

    /** Records how to undo the call just made; {@code what} words it for the log ("delete the new group 7"). */
    public void push(String what, Undo undo) {
        steps.push(new Step(what, undo));
    }

    /** The session committed: nothing to undo any more. */
    public void clear() {
        steps.clear();
    }

    /** Undoes every recorded call, newest first. */
    public void rollback() {
        while (!steps.isEmpty()) {
            Step step = steps.pop();
            try {
                step.undo().run();
            } catch (TargetException e) {
                log.warn("rollback: could not {} ({}); the consistency check reports what is left", step.what(), e.getMessage());
            }
        }
    }
}
