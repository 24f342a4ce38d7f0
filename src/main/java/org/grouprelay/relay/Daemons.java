package org.grouprelay.relay;

import java.util.concurrent.ThreadFactory;

/** Threads of the relay: daemons, so a relay never keeps the JVM alive; named for thread dumps. */
final class Daemons {
    private Daemons() {
    }

    static ThreadFactory named(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
