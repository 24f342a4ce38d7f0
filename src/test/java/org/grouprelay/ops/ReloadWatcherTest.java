package org.grouprelay.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.grouprelay.testing.Waits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code grouprelay reload}'s request and serve's answer, through the files of {@code dataDir/reload}. */
class ReloadWatcherTest {
    static final Duration QUICKLY = Duration.ofMillis(50);
    static final Path CONFIG = Path.of("/etc/grouprelay/grouprelay.yaml");

    @TempDir
    Path dataDir;

    ReloadWatcher watch(Supplier<ReloadWatcher.Outcome> reload) throws Exception {
        return ReloadWatcher.start(dataDir, CONFIG, reload, Clock.systemUTC(), QUICKLY);
    }

    ReloadRequest.Reply ask(Duration wait) throws Exception {
        return new ReloadRequest(dataDir, Clock.systemUTC()).send(wait);
    }

    @Test
    void aRequestIsAnsweredWithWhatTheReloadApplied() throws Exception {
        AtomicInteger reloads = new AtomicInteger();
        try (ReloadWatcher watcher = watch(() -> {
            reloads.incrementAndGet();
            return ReloadWatcher.Outcome.applied("check.schedule '0 0 4 * * ?', report e-mail off");
        })) {
            ReloadRequest.Reply reply = ask(Duration.ofSeconds(20));

            assertThat(reply).isInstanceOf(ReloadRequest.Answered.class);
            ReloadResult result = ((ReloadRequest.Answered) reply).result();
            assertThat(result.reloaded()).isTrue();
            assertThat(result.message()).isEqualTo("check.schedule '0 0 4 * * ?', report e-mail off");
            assertThat(result.configFile()).isEqualTo(CONFIG.toString());
            assertThat(result.pid()).isEqualTo(ProcessHandle.current().pid());
            assertThat(reloads).hasValue(1);
            assertThat(leftovers()).as("request and result are both gone").containsExactly(ReloadWatcher.PID_FILE);
        }
    }

    @Test
    void aFileThatDoesNotLoadIsAnsweredWithItsReason() throws Exception {
        try (ReloadWatcher watcher = watch(() -> ReloadWatcher.Outcome.refused("check.schedule: 'often' is not a Quartz cron expression"))) {
            ReloadResult result = ((ReloadRequest.Answered) ask(Duration.ofSeconds(20))).result();

            assertThat(result.reloaded()).isFalse();
            assertThat(result.message()).isEqualTo("check.schedule: 'often' is not a Quartz cron expression");
        }
    }

    @Test
    void requestsThatCameDuringAReloadAreAnsweredByOneMore() throws Exception {
        AtomicInteger reloads = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        try (ReloadWatcher watcher = watch(() -> {
            if (reloads.incrementAndGet() == 1) {
                await(release);
            }
            return ReloadWatcher.Outcome.applied("applied");
        })) {
            CompletableFuture<ReloadRequest.Reply> first = CompletableFuture.supplyAsync(() -> askQuietly(Duration.ofSeconds(30)));
            Waits.until(Duration.ofSeconds(10), () -> reloads.get() == 1);
            CompletableFuture<ReloadRequest.Reply> second = CompletableFuture.supplyAsync(() -> askQuietly(Duration.ofSeconds(30)));
            CompletableFuture<ReloadRequest.Reply> third = CompletableFuture.supplyAsync(() -> askQuietly(Duration.ofSeconds(30)));
            Waits.until(Duration.ofSeconds(10), () -> requests() == 3);
            release.countDown();

            for (CompletableFuture<ReloadRequest.Reply> reply : java.util.List.of(first, second, third)) {
                assertThat(reply.get(30, TimeUnit.SECONDS)).isInstanceOf(ReloadRequest.Answered.class);
            }
            assertThat(reloads).hasValue(2);
        }
    }

    @Test
    void withoutAServeItSaysSoAtOnce() throws Exception {
        long started = System.nanoTime();
        ReloadRequest.Reply reply = ask(Duration.ofSeconds(30));

        assertThat(reply).isInstanceOf(ReloadRequest.Unanswered.class);
        assertThat(((ReloadRequest.Unanswered) reply).reason()).startsWith("no grouprelay serve is running with dataDir " + dataDir);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void aCleanStopRemovesThePidFileSoTheNextRequestKnowsAtOnce() throws Exception {
        watch(() -> ReloadWatcher.Outcome.applied("applied")).close();

        assertThat(ReloadWatcher.directory(dataDir).resolve(ReloadWatcher.PID_FILE)).doesNotExist();
        assertThat(ask(Duration.ofSeconds(30))).isInstanceOf(ReloadRequest.Unanswered.class);
    }

    @Test
    void aKilledServesPidFileGetsNoAnswerInTimeAndTheRequestIsTakenBack() throws Exception {
        Path dir = Files.createDirectories(ReloadWatcher.directory(dataDir));
        Files.writeString(dir.resolve(ReloadWatcher.PID_FILE), "2147483646\n"); // what a kill -9 leaves behind

        ReloadRequest.Reply reply = ask(Duration.ofSeconds(1));

        assertThat(((ReloadRequest.Unanswered) reply).reason())
                .startsWith("no answer from grouprelay serve (pid 2147483646) within 1 s (no process 2147483646 runs here: was it killed?)");
        assertThat(leftovers()).containsExactly(ReloadWatcher.PID_FILE);
    }

    @Test
    void aStartDropsOldRequestsAndRemovesResultsNobodyCollected() throws Exception {
        Path dir = Files.createDirectories(ReloadWatcher.directory(dataDir));
        Files.writeString(dir.resolve("old" + ReloadWatcher.REQUEST), "{}");
        AtomicInteger reloads = new AtomicInteger();
        try (ReloadWatcher watcher = watch(() -> {
            reloads.incrementAndGet();
            return ReloadWatcher.Outcome.applied("applied");
        })) {
            Path uncollected = Files.writeString(dir.resolve("gone" + ReloadWatcher.RESULT), "{}");
            Files.setLastModifiedTime(uncollected, FileTime.from(Instant.now().minus(ReloadWatcher.UNCOLLECTED).minusSeconds(1)));
            Path fresh = Files.writeString(dir.resolve("waiting" + ReloadWatcher.RESULT), "{}");

            Waits.until(Duration.ofSeconds(10), () -> !Files.exists(uncollected));
            assertThat(fresh).exists();
            assertThat(reloads).as("the old request was not answered").hasValue(0);
        }
    }

    private ReloadRequest.Reply askQuietly(Duration wait) {
        try {
            return ask(wait);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private long requests() throws Exception {
        try (var files = Files.list(ReloadWatcher.directory(dataDir))) {
            return files.filter(f -> f.getFileName().toString().endsWith(ReloadWatcher.REQUEST)).count();
        }
    }

    private java.util.List<String> leftovers() throws Exception {
        try (var files = Files.list(ReloadWatcher.directory(dataDir))) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
