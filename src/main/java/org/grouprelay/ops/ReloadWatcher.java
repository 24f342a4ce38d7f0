package org.grouprelay.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloading without a signal, for a {@code serve} that never gets SIGHUP (started under {@code nohup}, a JVM with
 * {@code -Xrs}, a supervisor that cannot send it): {@code grouprelay reload} leaves {@code <id>.request} in
 * {@code dataDir/reload/}; this looks there every second, reloads once for all requests it finds and answers each with
 * {@code <id>.result} ({@link ReloadResult}). Files rather than a port: the data directory's permissions decide who may
 * ask, and whoever may write there can already change everything {@code serve} holds. {@code serve.pid} there says that
 * a {@code serve} answers; a clean stop removes it.
 */
public final class ReloadWatcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ReloadWatcher.class);
    static final String DIRECTORY = "reload";
    static final String PID_FILE = "serve.pid";
    static final String REQUEST = ".request";
    static final String RESULT = ".result";
    static final String TEMPORARY = ".tmp";
    /** A result nobody collected (the command gave up waiting) is removed after this long. */
    static final Duration UNCOLLECTED = Duration.ofMinutes(10);
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9-]{1,64}");

    /** What one reload came to: applied (what was applied), or refused (the one-line reason; the running settings stay). */
    public record Outcome(boolean reloaded, String message) {
        public static Outcome applied(String what) {
            return new Outcome(true, what);
        }

        public static Outcome refused(String reason) {
            return new Outcome(false, reason);
        }
    }

    private final ObjectMapper json = new ObjectMapper();
    private final Path dir;
    private final Path configFile;
    private final Supplier<Outcome> reload;
    private final Clock clock;
    private final long pid = ProcessHandle.current().pid();
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "grouprelay-reload-requests");
        thread.setDaemon(true);
        return thread;
    });
    private String lastProblem = "";

    private ReloadWatcher(Path dataDir, Path configFile, Supplier<Outcome> reload, Clock clock) {
        this.dir = directory(dataDir);
        this.configFile = configFile;
        this.reload = reload;
        this.clock = clock;
    }

    /** Answers requests for {@code dataDir} by running {@code reload}, which re-reads {@code configFile}. */
    public static ReloadWatcher start(Path dataDir, Path configFile, Supplier<Outcome> reload, Clock clock) throws IOException {
        return start(dataDir, configFile, reload, clock, Duration.ofSeconds(1));
    }

    /** As {@link #start(Path, Path, Supplier, Clock)}, looking for requests every {@code interval}. */
    static ReloadWatcher start(Path dataDir, Path configFile, Supplier<Outcome> reload, Clock clock, Duration interval) throws IOException {
        ReloadWatcher watcher = new ReloadWatcher(dataDir, configFile, reload, clock);
        watcher.prepare();
        watcher.executor.scheduleWithFixedDelay(watcher::poll, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        return watcher;
    }

    /** Where requests and results for {@code dataDir} are. */
    static Path directory(Path dataDir) {
        return dataDir.resolve(DIRECTORY);
    }

    /**
     * Requests left from before this start are dropped (the configuration was just read in full), and so are
     * results nobody collected; then {@code serve.pid} says who answers.
     */
    private void prepare() throws IOException {
        Files.createDirectories(dir);
        for (Path file : files("*")) {
            if (!file.getFileName().toString().equals(PID_FILE)) {
                Files.deleteIfExists(file);
            }
        }
        Path temporary = dir.resolve(PID_FILE + TEMPORARY);
        Files.writeString(temporary, pid + "\n");
        Files.move(temporary, dir.resolve(PID_FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** One look: every request found is answered by one reload. */
    void poll() {
        try {
            removeUncollectedResults();
            List<String> ids = new ArrayList<>();
            for (Path file : files("*" + REQUEST)) {
                String id = file.getFileName().toString();
                id = id.substring(0, id.length() - REQUEST.length());
                if (ID.matcher(id).matches()) {
                    ids.add(id);
                } else {
                    Files.deleteIfExists(file); // not left by grouprelay reload
                }
            }
            if (ids.isEmpty()) {
                return;
            }
            log.info("reloading the configuration: asked by grouprelay reload");
            Outcome outcome = reload.get();
            ReloadResult result = new ReloadResult(outcome.reloaded(), outcome.message(), configFile.toString(), pid,
                    clock.instant().toString());
            for (String id : ids) {
                Path temporary = dir.resolve(id + RESULT + TEMPORARY);
                json.writeValue(temporary.toFile(), result);
                Files.move(temporary, dir.resolve(id + RESULT), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                Files.deleteIfExists(dir.resolve(id + REQUEST));
            }
            lastProblem = "";
        } catch (IOException | RuntimeException e) {
            String problem = StatusProbe.oneLine(e);
            if (!problem.equals(lastProblem)) { // said once, not every second
                log.warn("reload requests in {} cannot be answered: {}", dir, problem);
                lastProblem = problem;
            }
        }
    }

    private void removeUncollectedResults() throws IOException {
        Instant before = clock.instant().minus(UNCOLLECTED);
        for (Path file : files("*" + RESULT)) {
            if (Files.getLastModifiedTime(file).toInstant().isBefore(before)) {
                Files.deleteIfExists(file);
            }
        }
    }

    private List<Path> files(String glob) throws IOException {
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, glob)) {
            stream.forEach(found::add);
        }
        return found;
    }

    /** Stops answering; {@code serve.pid} goes, so {@code grouprelay reload} says at once that nothing answers. */
    @Override
    public void close() {
        executor.shutdownNow();
        Path file = dir.resolve(PID_FILE);
        try {
            if (Files.isRegularFile(file) && Objects.equals(Files.readString(file).strip(), Long.toString(pid))) {
                Files.delete(file);
            }
        } catch (IOException e) {
            log.debug("removing {}: {}", file, e.getMessage());
        }
    }
}
