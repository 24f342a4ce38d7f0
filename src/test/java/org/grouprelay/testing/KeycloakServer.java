package org.grouprelay.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A real Keycloak (the Maven Central distribution the build unpacks into {@code target/keycloak}) in dev mode,
 * as its own process on a JDK 21+, with an H2 database that lives as long as this object's data directory.
 * Its output goes to a log file the test can search.
 */
public final class KeycloakServer implements AutoCloseable {
    public static final String ADMIN = "admin";
    public static final String ADMIN_PASSWORD = "keycloak-admin-test";
    private static final Pattern RELEASE_VERSION = Pattern.compile("(?m)^JAVA_VERSION=\"(\\d+)");

    private final Path home;
    private final Path javaHome;
    private final Path log;
    private final int port;
    private Process process;

    private KeycloakServer(Path home, Path javaHome, Path log, int port) {
        this.home = home;
        this.javaHome = javaHome;
        this.log = log;
        this.port = port;
    }

    /**
     * Why Keycloak cannot run here, or empty when it can: it needs the unpacked distribution and a JDK 21+
     * from {@code JAVA_HOME_21}, {@code KEYCLOAK_JAVA_HOME} or beside the JDK running the tests.
     */
    public static Optional<String> unavailable() {
        if (!Files.isRegularFile(distribution().resolve("bin/kc.sh"))) {
            return Optional.of("Keycloak is not unpacked at " + distribution() + "; run the tests with mvn verify (the build unpacks it)");
        }
        return findJdk21().isPresent() ? Optional.empty() : Optional.of("no JDK 21+ found for Keycloak 26 (looked at JAVA_HOME_21,"
                + " KEYCLOAK_JAVA_HOME and " + jvmDirectory() + "/*); install one (e.g. apt-get install openjdk-21-jdk-headless,"
                + " or Temurin 21/25) or export JAVA_HOME_21=/path/to/jdk");
    }

    public static Path distribution() {
        return Path.of(System.getProperty("keycloak.home", "target/keycloak/keycloak-26.4.5"));
    }

    static Optional<Path> findJdk21() {
        List<Path> candidates = new ArrayList<>();
        for (String variable : List.of("JAVA_HOME_21", "KEYCLOAK_JAVA_HOME")) {
            Optional.ofNullable(System.getenv(variable)).filter(v -> !v.isBlank()).map(Path::of).ifPresent(candidates::add);
        }
        try (Stream<Path> siblings = Files.list(jvmDirectory())) {
            siblings.sorted().forEach(candidates::add);
        } catch (IOException e) {
            // no directory of JDKs: only the variables count
        }
        return candidates.stream().filter(p -> Files.isExecutable(p.resolve("bin/java")) && majorVersion(p) >= 21).findFirst();
    }

    private static Path jvmDirectory() {
        Path current = Path.of(System.getProperty("java.home")).toAbsolutePath().normalize();
        Path parent = current.getParent();
        return parent == null ? Path.of("/usr/lib/jvm") : parent;
    }

    private static int majorVersion(Path jdk) {
        try {
            Matcher m = RELEASE_VERSION.matcher(Files.readString(jdk.resolve("release")));
            return m.find() ? Integer.parseInt(m.group(1)) : 0;
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    /** Starts Keycloak on a free loopback port with its data in {@code dataDir}; {@link #awaitReady} waits for it. */
    public static KeycloakServer start(Path dataDir, Path log) throws IOException {
        KeycloakServer server = new KeycloakServer(dataDir, findJdk21().orElseThrow(() -> new IllegalStateException(unavailable().orElse(""))),
                log, TestDirectory.freePort());
        server.launch();
        return server;
    }

    private void launch() throws IOException {
        Files.createDirectories(home);
        ProcessBuilder builder = new ProcessBuilder("bash", distribution().resolve("bin/kc.sh").toString(), "start-dev",
                "--http-host=127.0.0.1", "--http-port=" + port, "--db=dev-file",
                "--db-url=jdbc:h2:file:" + home.resolve("keycloakdb") + ";NON_KEYWORDS=VALUE;AUTO_SERVER=TRUE",
                "--http-management-port=" + TestDirectory.freePort(), "--cache=local");
        Map<String, String> env = builder.environment();
        env.put("JAVA_HOME", javaHome.toString());
        env.put("KC_BOOTSTRAP_ADMIN_USERNAME", ADMIN);
        env.put("KC_BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD);
        env.put("JAVA_OPTS_APPEND", "-XX:TieredStopAtLevel=1 -Xms256m -Xmx1g");
        builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        process = builder.start();
    }

    /** Waits until the master realm answers, or fails with the log's tail. */
    public Duration awaitReady(Duration timeout) throws Exception {
        long start = System.nanoTime();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest probe = HttpRequest.newBuilder(URI.create(url() + "/realms/master")).timeout(Duration.ofSeconds(5)).build();
        while (System.nanoTime() - start < timeout.toNanos()) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Keycloak exited with " + process.exitValue() + ":\n" + tail());
            }
            try {
                if (http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return Duration.ofNanos(System.nanoTime() - start);
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("Keycloak did not answer within " + timeout + ":\n" + tail());
    }

    /** Stops Keycloak (SIGTERM, then SIGKILL after 30 s) and starts it again on the same port and data. */
    public Duration restart() throws Exception {
        stop();
        launch();
        return awaitReady(Duration.ofMinutes(3));
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public Path log() {
        return log;
    }

    public String tail() throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    private void stop() throws InterruptedException {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor();
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    /**
     * Runs {@code grouprelay keycloak-setup} as an operator does, with a configuration file written from {@code yaml} plus a
     * {@code keycloak} section for {@code realm}, and {@code bindPassword} as the service account's directory password;
     * returns its output (the command must succeed).
     */
    public static String setupCommand(Path config, ConfigYaml yaml, KeycloakServer keycloak, String realm, String clientSecret,
            String bindPassword) throws Exception {
        yaml.section("""
                keycloak:
                  url: %s
                  realm: %s
                  clientId: grouprelay
                  clientSecret: ${KEYCLOAK_CLIENT_SECRET}
                  pollSeconds: 1
                """.formatted(keycloak.url(), realm)).writeTo(config);
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        int code = org.grouprelay.Main.execute(new String[] {"keycloak-setup", "--config", config.toString()},
                new org.grouprelay.config.Environment(Map.of("GROUPRELAY_ADMIN_PASSWORD", TestDirectory.ADMIN_PASSWORD,
                        "KEYCLOAK_CLIENT_SECRET", clientSecret, "KEYCLOAK_ADMIN_PASSWORD", ADMIN_PASSWORD,
                        "GROUPRELAY_KEYCLOAK_PASSWORD", bindPassword)),
                new java.io.PrintWriter(out), new java.io.PrintWriter(err));
        if (code != 0) {
            throw new AssertionError("keycloak-setup exited " + code + ": " + out + err);
        }
        return out.toString();
    }
}
