package org.grouprelay.ops;

import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIGHUP re-reads the configuration file's {@code check} section ({@code schedule}, {@code report}:
 * e-mail recipients and SMTP settings, {@code onlyOnDrift}) without a restart, as {@code systemctl
 * reload} expects. Uses {@code sun.misc.Signal} (module jdk.unsupported, present in every JDK and
 * JRE); where the JVM reserves the signal ({@code -Xrs}) or the process was started with it ignored, {@code grouprelay
 * reload} does the same through the data directory ({@link ReloadWatcher}). Without this handler SIGHUP would stop the JVM.
 */
public final class ReloadOnHangup {
    private static final Logger log = LoggerFactory.getLogger(ReloadOnHangup.class);

    private ReloadOnHangup() {
    }

    /**
     * Runs {@code reload} on its own thread on every SIGHUP; returns whether the handler is installed. Where it cannot be,
     * the warning names {@code grouprelay reload --config configFile}, which reaches the same reload without the signal.
     */
    public static boolean install(Runnable reload, Path configFile) {
        try {
            sun.misc.SignalHandler previous = sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> {
                Thread thread = new Thread(reload, "grouprelay-reload");
                thread.setDaemon(true);
                thread.start();
            });
            if (previous == sun.misc.SignalHandler.SIG_IGN) {
                // the JVM installs no handler for a signal its parent ignored (nohup, some supervisors): say so once
                log.warn("SIGHUP is ignored by this process (started under nohup or by a parent that ignores it): kill -HUP will not"
                        + " reload the configuration; run grouprelay reload --config {} instead (or start grouprelay without nohup:"
                        + " systemd, docker, or setsid)", configFile);
                return false;
            }
            return true;
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            log.warn("SIGHUP cannot be handled here ({}); run grouprelay reload --config {} to apply configuration changes",
                    e.getMessage(), configFile);
            return false;
        }
    }
}
