package org.grouprelay.keycloak;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * {@link KeycloakE2EIT}'s figures: how long each Keycloak admin action took to show in Seafile, and how long
 * Keycloak took to start and restart; printed and written to {@code target/keycloak-e2e-figures.txt}.
 */
final class E2EFigures {
    /** Steps that reach the directory through the admin-events follower rather than Keycloak's own LDAP writes. */
    static final Set<String> FOLLOWED = Set.of("group renamed", "subgroup moved to the top", "rename after Keycloak restart",
            "group deleted", "second group deleted");

    @FunctionalInterface
    interface Action {
        void run() throws Exception;
    }

    private final long started = System.nanoTime();
    private final Map<String, Long> latencies = new LinkedHashMap<>();
    private final Supplier<String> seafileState;
    Duration keycloakStartup;
    Duration keycloakRestart;

    /** {@code seafileState} says what Seafile holds, for a failure message. */
    E2EFigures(Supplier<String> seafileState) {
        this.seafileState = seafileState;
    }

    /** Runs a Keycloak admin action and records how long until Seafile shows its effect. */
    void timed(String step, Action action, Supplier<Boolean> visible) throws Exception {
        long start = System.nanoTime();
        action.run();
        await(visible, Duration.ofSeconds(15));
        latencies.put(step, (System.nanoTime() - start) / 1_000_000);
    }

    void await(Supplier<Boolean> condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.get()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Seafile did not show the change within " + timeout + "; groups: " + seafileState.get());
            }
            Thread.sleep(10);
        }
    }

    static String median(List<Long> values) {
        if (values.isEmpty()) {
            return "-";
        }
        List<Long> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return String.valueOf(n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2);
    }

    /** Prints the figures and writes them beside the build's other output; nothing to report before Keycloak started. */
    void report() throws Exception {
        if (keycloakStartup == null) {
            return;
        }
        List<Long> direct = new ArrayList<>();
        List<Long> followed = new ArrayList<>();
        latencies.forEach((step, ms) -> (FOLLOWED.contains(step) ? followed : direct).add(ms));
        List<Long> all = new ArrayList<>(latencies.values());
        String figures = "Keycloak end-to-end figures\n"
                + "  Keycloak startup: " + keycloakStartup.toMillis() + " ms"
                + (keycloakRestart == null ? "" : ", restart: " + keycloakRestart.toMillis() + " ms") + "\n"
                + "  Keycloak admin action -> Seafile row visible, per step (ms): " + latencies + "\n"
                + "  median: " + median(all) + " ms over all " + all.size() + " steps; " + median(direct) + " ms for the "
                + direct.size() + " that Keycloak writes to LDAP itself; " + median(followed) + " ms for the " + followed.size()
                + " followed from admin events (poll every 1 s)\n"
                + "  test duration: " + Duration.ofNanos(System.nanoTime() - started).toMillis() + " ms\n";
        System.out.print(figures);
        Files.writeString(Path.of(System.getProperty("grouprelay.home", ".")).resolve("target/keycloak-e2e-figures.txt"), figures);
    }
}
