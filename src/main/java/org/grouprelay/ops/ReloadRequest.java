package org.grouprelay.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code grouprelay reload}'s side of {@link ReloadWatcher}: leaves a request for the {@code serve} of a data directory
 * and waits for its answer.
 */
public final class ReloadRequest {
    /** How often the answer is looked for. */
    private static final Duration LOOK_EVERY = Duration.ofMillis(100);

    /** What came back. */
    public sealed interface Reply permits Answered, Unanswered {
    }

    /** {@code serve} reloaded, or refused the file (the running settings stay). */
    public record Answered(ReloadResult result) implements Reply {
    }

    /** No {@code serve} runs with this data directory, or none answered in time: {@code reason} says which, in one line. */
    public record Unanswered(String reason) implements Reply {
    }

    private final ObjectMapper json = new ObjectMapper();
    private final Path dataDir;
    private final Path dir;
    private final Clock clock;

    public ReloadRequest(Path dataDir, Clock clock) {
        this.dataDir = dataDir.toAbsolutePath().normalize();
        this.dir = ReloadWatcher.directory(this.dataDir);
        this.clock = clock;
    }

    /**
     * Asks and waits at most {@code wait} for the answer. A request that got none is taken back, so a {@code serve}
     * started later does not reload for it.
     *
     * @throws IOException when the request cannot be written (the message names the directory)
     */
    public Reply send(Duration wait) throws IOException, InterruptedException {
        Path pidFile = dir.resolve(ReloadWatcher.PID_FILE);
        if (!Files.isRegularFile(pidFile)) {
            return new Unanswered("no grouprelay serve is running with dataDir " + dataDir + " (there is no " + pidFile + ")");
        }
        String pid = Files.readString(pidFile).strip();
        String id = UUID.randomUUID().toString();
        Path request = dir.resolve(id + ReloadWatcher.REQUEST);
        Path result = dir.resolve(id + ReloadWatcher.RESULT);
        Path temporary = dir.resolve(id + ReloadWatcher.REQUEST + ReloadWatcher.TEMPORARY);
        json.writeValue(temporary.toFile(), Map.of("requestedAt", clock.instant().toString()));
        Files.move(temporary, request, StandardCopyOption.ATOMIC_MOVE);
        long end = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < end) {
            Optional<ReloadResult> answer = collect(result);
            if (answer.isPresent()) {
                return new Answered(answer.get());
            }
            Thread.sleep(LOOK_EVERY.toMillis());
        }
        Files.deleteIfExists(request);
        Optional<ReloadResult> late = collect(result); // answered while the request was being taken back
        if (late.isPresent()) {
            return new Answered(late.get());
        }
        return new Unanswered("no answer from grouprelay serve (pid " + pid + ") within " + wait.toSeconds() + " s" + whetherRunning(pid)
                + "; is it running with dataDir " + dataDir + "?");
    }

    private Optional<ReloadResult> collect(Path result) throws IOException {
        if (!Files.isRegularFile(result)) {
            return Optional.empty();
        }
        ReloadResult answer = json.readValue(result.toFile(), ReloadResult.class);
        Files.deleteIfExists(result);
        return Optional.of(answer);
    }

    /** A pid this machine does not run is worth saying (a killed serve leaves serve.pid); one in another container is not a proof. */
    private static String whetherRunning(String pid) {
        try {
            boolean running = ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
            return running ? "" : " (no process " + pid + " runs here: was it killed?)";
        } catch (NumberFormatException e) {
            return "";
        }
    }
}
