package org.grouprelay.ops;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIGHUP re-reads the configuration file's {@code check} section ({@code schedule}, {@code report}:
 * e-mail recipients and SMTP settings, {@code onlyOnDrift}) without a restart, as {@code systemctl
 * reload} expects. Uses {@code sun.misc.Signal} (module jdk.unsupported, present in every JDK and
 * JRE); where the JVM reserves the signal ({@code -Xrs}) the reload is unavailable and a restart applies
 * changes. Without this handler SIGHUP would stop the JVM.
 */
public final class ReloadOnHangup {
    private static final Logger log = LoggerFactory.getLogger(ReloadOnHangup.class);

    private ReloadOnHangup() {
    }

    /** Runs {@code reload} on its own thread on every SIGHUP; returns whether the handler is installed. */
    public static boolean install(Runnable reload) {
        try {
            sun.misc.SignalHandler previous = sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> {
                Thread thread = new Thread(reload, "grouprelay-reload");
                thread.setDaemon(true);
                thread.start();
            });
            if (previous == sun.misc.SignalHandler.SIG_IGN) {
                // the JVM installs no handler for a signal its parent ignored (nohup, some supervisors): say so once
                log.warn("SIGHUP is ignored by this process (started under nohup or by a parent that ignores it): kill -HUP will not"
                        + " reload the configuration; start grouprelay without nohup (systemd, docker, or setsid), or restart it to apply"
                        + " changes");
                return false;
            }
            return true;
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            log.warn("SIGHUP cannot be handled here ({}); restart grouprelay to apply configuration changes", e.getMessage());
            return false;
        }
    }
}
