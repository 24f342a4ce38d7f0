package org.grouprelay.bench;

import static org.grouprelay.bench.Bench.log;
import static org.grouprelay.bench.Bench.num;
import static org.grouprelay.bench.Bench.prop;
import static org.grouprelay.bench.Bench.secondsSince;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.grouprelay.demo.EmbeddedSeafileDb;
import org.grouprelay.mapping.MappingRule;
import org.grouprelay.mapping.Strategy;
import org.grouprelay.testing.Relaying;
import org.grouprelay.testing.TestDirectory;
import org.grouprelay.testing.TestSeafile;

/**
 * Benchmarks at directory scale, on a generated data set (see {@link ScaleData}): the consistency
 * check over 100,000 users and 1,000,000 memberships ({@link CheckScale}), Keycloak's bulk group sync
 * ({@link BulkSync}) and cold start ({@link ColdStart}). Run with {@code mvn -B -Pbench verify}; see
 * BENCHMARKS.md.
 */
public final class ScaleBench {
    static final List<String> SCENARIOS = Bench.words(prop("bench.scale", "check,session,bulk,coldstart"));
    static final ScaleData DATA = new ScaleData(Integer.getInteger("bench.scale.users", 100_000),
            Integer.getInteger("bench.scale.groups", 10_000), Integer.getInteger("bench.scale.perGroup", 100));
    static final Path OUT = Path.of(prop("bench.scaleOut", "target/bench-scale-results.md"));
    static final List<MappingRule> USERS = List.of(new MappingRule(Strategy.EMAIL, null, "mail"));

    private final StringBuilder report = new StringBuilder();
    private TestSeafile seafile;

    public static void main(String[] args) {
        ScaleBench bench = new ScaleBench();
        Bench.runMain(bench::run, () -> {
            if (bench.seafile != null) {
                bench.seafile.close();
            }
        });
    }

    void run() throws Exception {
        long started = System.nanoTime();
        report.append("# grouprelay benchmark results at scale\n\n").append(Bench.machine());
        report.append(String.format(Locale.ROOT, "Data set: %,d users, %,d groups of %,d members (%,d memberships), generated once "
                + "and kept in %s.%n", DATA.users(), DATA.groups(), DATA.perGroup(), DATA.memberships(), DATA.cache()));
        seafile = TestSeafile.start();
        seedAccounts();
        for (String scenario : SCENARIOS) {
            switch (scenario) {
                case "check" -> report.append(new CheckScale(DATA, seafile).run());
                case "bulk" -> report.append(new BulkSync(DATA, seafile).run());
                case "coldstart" -> report.append(new ColdStart(DATA, seafile).run());
                case "session" -> report.append(new KeycloakSession(DATA, seafile).run());
                default -> throw new IllegalArgumentException("bench.scale: unknown scenario '" + scenario
                        + "'; use check, session, bulk, coldstart");
            }
        }
        report.append(String.format(Locale.ROOT, "%nWhole run: %.0f s.%n", secondsSince(started)));
        System.out.println();
        System.out.println(report);
        Files.createDirectories(OUT.toAbsolutePath().getParent());
        Files.writeString(OUT, report.toString());
        log("written to %s", OUT.toAbsolutePath());
    }

    /** Every generated user has a Seafile account whose id is its mail; the group creator is an admin. */
    private void seedAccounts() throws Exception {
        long t = System.nanoTime();
        seafile.seedAccountsInBulk(DATA.users(), ScaleData::mail);
        seafile.db().seedUser(TestDirectory.GROUP_CREATOR.toLowerCase(Locale.ROOT), true);
        log("%,d Seafile accounts in %.1f s", DATA.users(), secondsSince(t));
    }

    /** A directory relaying to {@code seafile} (or not), holding a copy of the generated data. */
    static TestDirectory directory(ScaleData data, TestSeafile seafile, boolean relay) throws Exception {
        TestDirectory dir = TestDirectory.create("");
        if (relay) {
            dir.relayingTo(seafile, Relaying.relayMode().users(USERS));
        }
        double copy = data.copyInto(dir);
        log("data directory copied in %.1f s", copy);
        return relay ? dir.start() : dir.startDirectoryOnly();
    }

    /** Empties Seafile's groups (and grouprelay's links), keeping the accounts. */
    static void clearGroups(TestSeafile seafile) {
        seafile.update(EmbeddedSeafileDb.CCNET, "CREATE TABLE IF NOT EXISTS grouprelay_group_link (group_uuid VARCHAR(36) NOT NULL "
                + "PRIMARY KEY, group_id BIGINT NOT NULL, linked_at BIGINT NOT NULL, UNIQUE KEY (group_id)) ENGINE=InnoDB");
        for (String table : List.of("grouprelay_group_link", "GroupUser", "`Group`")) {
            seafile.update(EmbeddedSeafileDb.CCNET, "DELETE FROM " + table);
        }
    }

    static long count(TestSeafile seafile, String sql, Object... params) {
        List<Map<String, Object>> rows = seafile.query(EmbeddedSeafileDb.CCNET, sql, params);
        return ((Number) rows.get(0).values().iterator().next()).longValue();
    }

    static JsonNode json(Path file) throws Exception {
        return new ObjectMapper().readTree(file.toFile());
    }

    static String row(Object... cells) {
        List<String> s = new ArrayList<>();
        for (Object c : cells) {
            s.add(c instanceof Double d ? num(d) : String.valueOf(c));
        }
        return "| " + String.join(" | ", s) + " |\n";
    }

}
