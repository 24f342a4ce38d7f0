package org.grouprelay.bench;

import static org.grouprelay.bench.Bench.log;
import static org.grouprelay.bench.Bench.num;
import static org.grouprelay.bench.Bench.secondsSince;

import com.fasterxml.jackson.databind.JsonNode;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchScope;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.grouprelay.GroupRelay;
import org.grouprelay.demo.EmbeddedSeafileDb;
import org.grouprelay.reconcile.CheckRun;
import org.grouprelay.reconcile.CheckService;
import org.grouprelay.reconcile.Finding;
import org.grouprelay.reconcile.InProcessDirectorySource;
import org.grouprelay.testing.ConfigYaml;
import org.grouprelay.testing.TestDirectory;
import org.grouprelay.testing.TestSeafile;

/**
 * {@code grouprelay check} over the whole data set, run as the operator runs it: the jar in its own
 * JVM with a 1 GiB heap, reading the directory over LDAP and Seafile's database, while the directory
 * serves. Seafile is seeded (by SQL) with the data set's groups, links and memberships, then 1 % of
 * the memberships are made to differ; the report must find exactly that drift. For contrast, the
 * per-user approach of simple sync scripts (for each user: one directory search for the user's groups
 * and one Seafile query) is timed on a sample and extrapolated.
 */
final class CheckScale {
    static final String HEAP = Bench.prop("bench.checkHeap", "1g");
    static final int NAIVE_SAMPLE = Integer.getInteger("bench.naiveSample", 2000);
    private static final Pattern GC = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)");
    private static final Pattern EXIT_USED = Pattern.compile("used (\\d+)K");

    private final ScaleData data;
    private final TestSeafile seafile;
    private int missing;
    private int extra;
    private int renamed;

    CheckScale(ScaleData data, TestSeafile seafile) {
        this.data = data;
        this.seafile = seafile;
    }

    String run() throws Exception {
        StringBuilder t = new StringBuilder("\n## Consistency check over the whole data set\n\n");
        try (TestDirectory dir = ScaleBench.directory(data, seafile, true)) {
            seed(dir);
            Path work = dir.home();
            Path config = work.resolve("grouprelay.yaml");
            ConfigYaml.of(dir).seafileSql(seafile).writeTo(config);
            List<Run> runs = new ArrayList<>();
            for (int i = 0; i < Integer.getInteger("bench.checkRuns", 3); i++) {
                runs.add(check(work, config, i));
                log("check run %d: %.1f s wall, peak heap %d MB, exit %d", i + 1, runs.get(i).seconds, runs.get(i).peakHeapMb,
                        runs.get(i).exit);
            }
            List<InProcess> inProcess = new ArrayList<>();
            for (int i = 0; i < Integer.getInteger("bench.checkRuns", 3); i++) {
                inProcess.add(inProcess(dir));
                log("in-process check run %d: %.1f s", i + 1, inProcess.get(i).seconds);
            }
            Naive naive = naive(dir);
            t.append(String.format(Locale.ROOT, "Seafile seeded with %,d groups, their links and %,d memberships, minus %,d "
                    + "memberships (missing), plus %,d memberships that the directory does not have (extra), and %,d groups "
                    + "renamed in Seafile: %,d drift findings expected.%n%n", data.groups(), data.memberships(), missing, extra,
                    renamed, missing + extra + renamed));
            t.append("| run | wall time s (JVM start to exit) | of which reading: directory / Seafile (side by side) s | check "
                    + "done s | peak heap used MB (max heap ").append(HEAP)
                    .append(") | exit code | MEMBER_MISSING | MEMBER_EXTRA | NAME_DIFFERS | groups / memberships compared |\n");
            t.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
            for (int i = 0; i < runs.size(); i++) {
                Run r = runs.get(i);
                t.append(ScaleBench.row(i + 1, r.seconds, num(r.directorySeconds) + " / " + num(r.seafileSeconds), r.checkSeconds,
                        r.peakHeapMb, r.exit, r.report.path("counts").path("MEMBER_MISSING").asLong(),
                        r.report.path("counts").path("MEMBER_EXTRA").asLong(), r.report.path("counts").path("NAME_DIFFERS").asLong(),
                        String.format(Locale.ROOT, "%,d / %,d", r.report.path("groups").asLong(), r.report.path("memberships").asLong())));
            }
            List<String> problems = new ArrayList<>();
            for (Run r : runs) {
                JsonNode counts = r.report.path("counts");
                if (r.exit != 1 || counts.path("MEMBER_MISSING").asLong() != missing || counts.path("MEMBER_EXTRA").asLong() != extra
                        || counts.path("NAME_DIFFERS").asLong() != renamed) {
                    problems.add("a run did not report exactly the injected drift (exit " + r.exit + ", counts " + counts + ")");
                }
            }
            t.append(problems.isEmpty() ? "\nEvery run found exactly the injected drift and exited 1.\n"
                    : "\n**" + String.join("; ", problems) + "**\n");
            t.append("\nThe same check as `serve` runs it (scheduled, inside serve's JVM: the directory read through the admin session, "
                    + "`InProcessDirectorySource`, no LDAP encoding; timed from the call to the report, in the bench JVM that serves):\n\n");
            t.append("| run | check s | MEMBER_MISSING | MEMBER_EXTRA | NAME_DIFFERS | groups / memberships compared |\n");
            t.append("|---:|---:|---:|---:|---:|---:|\n");
            for (int i = 0; i < inProcess.size(); i++) {
                InProcess r = inProcess.get(i);
                Map<Finding.Kind, Integer> counts = r.run.plan().counts();
                t.append(ScaleBench.row(i + 1, r.seconds, counts.getOrDefault(Finding.Kind.MEMBER_MISSING, 0),
                        counts.getOrDefault(Finding.Kind.MEMBER_EXTRA, 0), counts.getOrDefault(Finding.Kind.NAME_DIFFERS, 0),
                        String.format(Locale.ROOT, "%,d / %,d", r.run.plan().groups(), r.run.plan().memberships())));
                if (counts.getOrDefault(Finding.Kind.MEMBER_MISSING, 0) != missing || counts.getOrDefault(Finding.Kind.MEMBER_EXTRA, 0) != extra
                        || counts.getOrDefault(Finding.Kind.NAME_DIFFERS, 0) != renamed) {
                    t.append("\n**in-process run ").append(i + 1).append(" did not report exactly the injected drift**\n");
                }
            }
            t.append(String.format(Locale.ROOT, "%nPer-user approach (modelled): for each of %,d sampled users one LDAP search "
                    + "`(&(objectClass=groupOfNames)(member=<dn>))` and one Seafile query for the user's groups took %s ms on average "
                    + "(p50 LDAP %s ms + SQL %s ms); for %,d users that is **%s s**, against %s s for the check above (median), "
                    + "which compares the same data.%n", naive.sample, num(naive.meanMs), num(naive.ldapP50Ms), num(naive.sqlP50Ms),
                    data.users(), num(naive.meanMs * data.users() / 1000), num(median(runs))));
        }
        return t.toString();
    }

    record InProcess(double seconds, CheckRun run) {
    }

    /** One check as serve's schedule runs it: the running relay's target, the directory read in-process. */
    private static InProcess inProcess(TestDirectory dir) throws Exception {
        GroupRelay relay = dir.relay();
        CheckService service = GroupRelay.checkService(relay.config(), relay.targets().get(0).target(), java.time.Clock.systemUTC());
        long t = System.nanoTime();
        CheckRun run = service.run(new InProcessDirectorySource(relay.directory().service()), CheckService.Options.checkOnly());
        return new InProcess(secondsSince(t), run);
    }

    record Run(double seconds, long peakHeapMb, int exit, JsonNode report, double directorySeconds, double seafileSeconds,
            double checkSeconds) {
    }

    /** The check's own timing lines (INFO): "read the directory in 12.3 s … and Seafile in 4.5 s …", "… in 20.1 s in all". */
    private static final Pattern DIRECTORY_READ = Pattern.compile("read the directory in ([0-9.]+) s");
    private static final Pattern SEAFILE_READ = Pattern.compile("and Seafile in ([0-9.]+) s");
    private static final Pattern CHECK_TOTAL = Pattern.compile("in ([0-9.]+) s in all");

    private static double figure(String output, Pattern pattern) {
        Matcher m = pattern.matcher(output);
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }

    private Run check(Path work, Path config, int i) throws Exception {
        Path gc = work.resolve("check-gc-" + i + ".log");
        Path out = work.resolve("check-" + i + ".json");
        Path log = work.resolve("check-" + i + ".out");
        Path jar = Path.of(System.getProperty("grouprelay.jar", "target/grouprelay.jar")).toAbsolutePath();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + HEAP,
                "-Xlog:gc,gc+heap+exit:file=" + gc));
        for (String option : Bench.prop("bench.checkJvmArgs", "").split("\\s+")) {
            if (!option.isEmpty()) {
                command.add(option);
            }
        }
        command.addAll(List.of("-jar", jar.toString(), "check", "--config", config.toString(), "--format", "json", "--output",
                out.toString()));
        ProcessBuilder pb = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("GROUPRELAY_ADMIN_PASSWORD", TestDirectory.ADMIN_PASSWORD);
        pb.environment().put("GROUPRELAY_LOG_LEVEL", "INFO");
        long t0 = System.nanoTime();
        Process p = pb.start();
        int exit = p.waitFor();
        double seconds = secondsSince(t0);
        if (!Files.exists(out)) {
            throw new IllegalStateException("check wrote no report (exit " + exit + "):\n" + Files.readString(log));
        }
        String output = Files.readString(log);
        return new Run(seconds, peakHeapMb(Files.readString(gc)), exit, ScaleBench.json(out), figure(output, DIRECTORY_READ),
                figure(output, SEAFILE_READ), figure(output, CHECK_TOTAL));
    }

    /** Largest heap occupancy seen: before any collection, or at exit. */
    static long peakHeapMb(String gcLog) {
        long peak = 0;
        Matcher m = GC.matcher(gcLog);
        while (m.find()) {
            peak = Math.max(peak, Long.parseLong(m.group(1)));
        }
        Matcher exit = EXIT_USED.matcher(gcLog);
        while (exit.find()) {
            peak = Math.max(peak, Long.parseLong(exit.group(1)) >> 10);
        }
        return peak;
    }

    private static double median(List<Run> runs) {
        double[] s = runs.stream().mapToDouble(Run::seconds).sorted().toArray();
        return s.length == 0 ? Double.NaN : s[s.length / 2];
    }

    /** Groups, links and memberships in Seafile as the relay would have written them, then the drift. */
    private void seed(TestDirectory dir) throws Exception {
        long t = System.nanoTime();
        ScaleBench.clearGroups(seafile);
        Map<String, String> uuids;
        try (LDAPConnection c = dir.admin()) {
            uuids = ScaleData.groupUuids(c);
        }
        String creator = TestDirectory.GROUP_CREATOR.toLowerCase(Locale.ROOT);
        try (Connection c = seafile.db().rootConnection(EmbeddedSeafileDb.CCNET);
                PreparedStatement group = c.prepareStatement("INSERT INTO `Group` (group_id, group_name, creator_name, timestamp, "
                        + "parent_group_id) VALUES (?, ?, ?, 0, 0)");
                PreparedStatement link = c.prepareStatement("INSERT INTO grouprelay_group_link (group_uuid, group_id, linked_at) "
                        + "VALUES (?, ?, 0)");
                PreparedStatement member = c.prepareStatement("INSERT INTO GroupUser (group_id, user_name, is_staff) VALUES (?, ?, ?)")) {
            c.setAutoCommit(false);
            for (int g = 0; g < data.groups(); g++) {
                long id = g + 1;
                boolean rename = g % 1000 == 7;
                renamed += rename ? 1 : 0;
                group.setLong(1, id);
                group.setString(2, rename ? ScaleData.groupName(g) + "-old" : ScaleData.groupName(g));
                group.setString(3, creator);
                group.addBatch();
                link.setString(1, uuids.get(ScaleData.groupName(g)));
                link.setLong(2, id);
                link.addBatch();
                add(member, id, creator, 1);
                for (int k = 0; k < data.perGroup(); k++) {
                    if (((long) g * data.perGroup() + k) % 200 == 0) {
                        missing++;
                    } else {
                        add(member, id, ScaleData.mail(data.member(g, k)), 0);
                    }
                }
                if (g % 2 == 0) {
                    add(member, id, ScaleData.mail(data.member(g, data.perGroup())), 0);
                    extra++;
                }
                if (g % 500 == 499) {
                    group.executeBatch();
                    link.executeBatch();
                    member.executeBatch();
                }
            }
            group.executeBatch();
            link.executeBatch();
            member.executeBatch();
            c.commit();
        }
        log("Seafile seeded with %,d groups and %,d memberships in %.0f s", data.groups(),
                ScaleBench.count(seafile, "SELECT COUNT(*) FROM GroupUser WHERE is_staff = 0"), secondsSince(t));
    }

    private static void add(PreparedStatement member, long id, String user, int staff) throws Exception {
        member.setLong(1, id);
        member.setString(2, user);
        member.setInt(3, staff);
        member.addBatch();
    }

    record Naive(int sample, double meanMs, double ldapP50Ms, double sqlP50Ms) {
    }

    private Naive naive(TestDirectory dir) throws Exception {
        Latencies ldap = new Latencies();
        Latencies sql = new Latencies();
        long t0 = System.nanoTime();
        int sample = Math.min(NAIVE_SAMPLE, data.users());
        try (LDAPConnection c = dir.admin();
                Connection db = seafile.db().rootConnection(EmbeddedSeafileDb.CCNET);
                PreparedStatement s = db.prepareStatement("SELECT g.group_name FROM GroupUser gu JOIN `Group` g "
                        + "ON g.group_id = gu.group_id WHERE gu.user_name = ?")) {
            for (int n = 0; n < sample; n++) {
                int i = (int) ((long) n * data.users() / sample);
                long a = System.nanoTime();
                c.search(new SearchRequest(TestDirectory.GROUPS, SearchScope.ONE, "(&(objectClass=groupOfNames)(member="
                        + ScaleData.userDn(i) + "))", "cn"));
                long b = System.nanoTime();
                s.setString(1, ScaleData.mail(i));
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        rs.getString(1);
                    }
                }
                long e = System.nanoTime();
                ldap.record(b - a);
                sql.record(e - b);
            }
        }
        double meanMs = (System.nanoTime() - t0) / 1e6 / sample;
        return new Naive(sample, meanMs, ldap.summary().percentileMs(50), sql.summary().percentileMs(50));
    }
}
