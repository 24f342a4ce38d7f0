package org.grouprelay.bench;

import static org.grouprelay.bench.Bench.log;
import static org.grouprelay.bench.Bench.ratio;
import static org.grouprelay.bench.Bench.secondsSince;

import com.unboundid.ldap.sdk.Control;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionPool;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.ModifyRequest;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.SimpleBindRequest;
import com.unboundid.ldap.sdk.SingleServerSet;
import com.unboundid.ldap.sdk.controls.ManageDsaITRequestControl;
import com.unboundid.ldap.sdk.controls.SimplePagedResultsControl;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.grouprelay.relay.Relay;
import org.grouprelay.testing.TestDirectory;
import org.grouprelay.testing.TestSeafile;

/**
 * A Keycloak-like session on the data set's directory, with the requests Keycloak 26 sends (see
 * the Keycloak reference): a user logs in (new connection, simple bind as the user, unbind); on the
 * pooled service-account connection Keycloak looks the user up by uid, loads the user's groups by
 * member, looks the group up by cn and adds the user to it, or, in the next session for the same
 * user, removes it again. Searches carry ManageDsaIT and a critical paged-results control. Each
 * client works on its own groups. Plain ApacheDS and the relay alternate A-B-B-A on one data directory.
 */
final class KeycloakSession {
    static final List<Integer> CLIENTS = Bench.ints(Bench.prop("bench.session.clients", "1,8"));
    static final int SECONDS = Integer.getInteger("bench.session.seconds", 10);
    static final int WARMUP = Integer.getInteger("bench.session.warmup", 3);
    static final int PAIRS_PER_CLIENT = 4;
    static final String PASSWORD = "session-user-password";
    private static final String[] USER_ATTRS = {"entryUUID", "uid", "mail", "sn", "cn", "pwdChangedTime", "objectclass",
            "krb5PrincipalName", "createTimestamp", "modifyTimestamp"};

    private final ScaleData data;
    private final TestSeafile seafile;

    KeycloakSession(ScaleData data, TestSeafile seafile) {
        this.data = data;
        this.seafile = seafile;
    }

    record Point(boolean relay, int clients, double sessionsPerSecond, Latencies.Summary session, Latencies.Summary modify,
            long errors, String firstError) {
    }

    /** The i-th (group, user) pair: group {@code i}, and a user who is not among its generated members. */
    private int group(int pair) {
        return pair;
    }

    private int user(int pair) {
        return data.member(pair, data.perGroup() + 1);
    }

    String run() throws Exception {
        ScaleBench.clearGroups(seafile);
        int maxClients = CLIENTS.stream().mapToInt(Integer::intValue).max().orElse(1);
        List<Point> points = new ArrayList<>();
        try (TestDirectory dir = ScaleBench.directory(data, seafile, true)) {
            try (LDAPConnection admin = dir.admin()) {
                for (int pair = 0; pair < maxClients * PAIRS_PER_CLIENT; pair++) {
                    admin.modify(ScaleData.userDn(user(pair)), new Modification(ModificationType.REPLACE, "userPassword", PASSWORD));
                }
            }
            boolean relayRunning = true;
            for (int clients : CLIENTS) {
                for (int round = 0; round < 2; round++) {
                    for (boolean relay : round == 0 ? new boolean[] {false, true} : new boolean[] {true, false}) {
                        if (relay != relayRunning) {
                            drain(dir, relayRunning);
                            dir.stop();
                            if (relay) {
                                dir.start();
                            } else {
                                dir.startDirectoryOnly();
                            }
                            relayRunning = relay;
                        }
                        measure(dir, clients, WARMUP, false);
                        Point p = measure(dir, clients, SECONDS / 2.0, true);
                        drain(dir, relay);
                        log("session %-6s clients=%d round %d: %.1f sessions/s, p50 %.2f ms, p99 %.2f ms, %d errors",
                                relay ? "relay" : "plain", clients, round + 1, p.sessionsPerSecond, p.session.percentileMs(50),
                                p.session.percentileMs(99), p.errors);
                        points.add(p);
                    }
                }
            }
        }
        return table(points);
    }

    private static void drain(TestDirectory dir, boolean relay) throws InterruptedException {
        if (relay) {
            Relay r = dir.relay().relay().orElseThrow();
            if (!r.awaitDrained(Duration.ofMinutes(2))) {
                throw new IllegalStateException("relay outbox did not drain: " + r.outboxDepth());
            }
        }
    }

    private Point measure(TestDirectory dir, int clients, double seconds, boolean record) throws Exception {
        boolean relay = dir.relay().relay().isPresent();
        LDAPConnectionPool pool = new LDAPConnectionPool(new SingleServerSet("127.0.0.1", dir.ldapPort()),
                new SimpleBindRequest(TestDirectory.KEYCLOAK_DN, TestDirectory.KEYCLOAK_PASSWORD), clients, clients);
        ExecutorService workers = Executors.newFixedThreadPool(clients);
        AtomicLong sessions = new AtomicLong();
        List<String> errors = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Latencies> all = new ArrayList<>();
        List<Latencies> mods = new ArrayList<>();
        long t0 = System.nanoTime();
        long end = t0 + (long) (seconds * 1e9);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                Latencies lat = new Latencies();
                Latencies mod = new Latencies();
                all.add(lat);
                mods.add(mod);
                int client = c;
                done.add(workers.submit(() -> {
                    int n = 0;
                    while (System.nanoTime() < end) {
                        int pair = client * PAIRS_PER_CLIENT + n % PAIRS_PER_CLIENT;
                        long a = System.nanoTime();
                        try {
                            long m = session(dir, pool, group(pair), user(pair));
                            lat.record(System.nanoTime() - a);
                            mod.record(m);
                            sessions.incrementAndGet();
                        } catch (LDAPException e) {
                            errors.add(e.getResultCode() + " " + e.getMessage());
                        }
                        n++;
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            workers.shutdownNow();
            pool.close();
        }
        double elapsed = secondsSince(t0);
        return new Point(relay, clients, sessions.get() / elapsed, Latencies.merge(all).summary(), Latencies.merge(mods).summary(),
                errors.size(), errors.isEmpty() ? null : errors.get(0));
    }

    /** One session; returns the nanoseconds of the membership modify. */
    private long session(TestDirectory dir, LDAPConnectionPool pool, int group, int user) throws LDAPException {
        String userDn = ScaleData.userDn(user);
        try (LDAPConnection login = new LDAPConnection("127.0.0.1", dir.ldapPort())) {
            login.bind(userDn, PASSWORD);
        }
        Control manage = new ManageDsaITRequestControl(false);
        SearchRequest byUid = new SearchRequest(TestDirectory.PEOPLE, SearchScope.ONE, "(&(&(uid=" + ScaleData.uid(user)
                + ")(objectclass=inetOrgPerson))(objectclass=organizationalPerson))", USER_ATTRS);
        byUid.setControls(manage, new SimplePagedResultsControl(16, null, true));
        pool.search(byUid);
        SearchRequest byMember = new SearchRequest(TestDirectory.GROUPS, SearchScope.ONE, "(&(member=" + userDn
                + ")(objectclass=groupOfNames))", "entryUUID", "cn", "objectclass");
        byMember.setControls(manage, new SimplePagedResultsControl(100, null, true));
        SearchResult groups = pool.search(byMember);
        String groupDn = ScaleData.groupDn(group);
        boolean member = groups.getSearchEntries().stream().anyMatch(e -> e.getDN().equalsIgnoreCase(groupDn));
        SearchRequest byCn = new SearchRequest(TestDirectory.GROUPS, SearchScope.ONE, "(&(cn=" + ScaleData.groupName(group)
                + ")(objectclass=groupOfNames))", "entryUUID", "cn", "objectclass");
        byCn.setControls(manage, new SimplePagedResultsControl(16, null, true));
        pool.search(byCn);
        ModifyRequest modify = new ModifyRequest(groupDn, new Modification(member ? ModificationType.DELETE : ModificationType.ADD,
                "member", userDn));
        modify.setControls(manage);
        long a = System.nanoTime();
        ResultCode rc = pool.modify(modify).getResultCode();
        long took = System.nanoTime() - a;
        if (rc != ResultCode.SUCCESS) {
            throw new LDAPException(rc, "modify " + groupDn);
        }
        return took;
    }

    private static String table(List<Point> points) {
        StringBuilder t = new StringBuilder("\n## Keycloak-like sessions\n\n");
        t.append("Session = user bind on a new connection + user search by uid + groups by member + group by cn + one "
                + "member add or remove, on the pooled service-account connections; searches with ManageDsaIT and critical "
                + "paged results, as Keycloak sends them. Directory: the data set. Two rounds per mode (A-B-B-A), "
                + SECONDS / 2 + " s each.\n\n");
        t.append("| clients | mode | sessions/s | session p50 ms | session p99 ms | modify p50 ms | modify p99 ms | sessions | errors |\n");
        t.append("|---:|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (int clients : CLIENTS) {
            Point plain = combine(points, clients, false);
            Point relay = combine(points, clients, true);
            for (Point p : List.of(plain, relay)) {
                t.append(ScaleBench.row(clients, p.relay ? "with relay" : "plain ApacheDS", p.sessionsPerSecond,
                        p.session.percentileMs(50), p.session.percentileMs(99), p.modify.percentileMs(50), p.modify.percentileMs(99),
                        p.session.count(), p.errors + (p.firstError == null ? "" : " (" + p.firstError + ")")));
            }
            t.append(ScaleBench.row(clients, "**relay ÷ plain**", "**" + ratio(relay.sessionsPerSecond, plain.sessionsPerSecond)
                    + "**", ratio(relay.session.percentileMs(50), plain.session.percentileMs(50)),
                    ratio(relay.session.percentileMs(99), plain.session.percentileMs(99)),
                    ratio(relay.modify.percentileMs(50), plain.modify.percentileMs(50)),
                    ratio(relay.modify.percentileMs(99), plain.modify.percentileMs(99)), "", ""));
        }
        return t.toString();
    }

    private static Point combine(List<Point> points, int clients, boolean relay) {
        List<Point> mine = points.stream().filter(p -> p.clients == clients && p.relay == relay).toList();
        Latencies s = new Latencies();
        Latencies m = new Latencies();
        double rate = 0;
        long errors = 0;
        String first = null;
        for (Point p : mine) {
            for (long v : p.session.sorted()) {
                s.record(v);
            }
            for (long v : p.modify.sorted()) {
                m.record(v);
            }
            rate += p.sessionsPerSecond / mine.size();
            errors += p.errors;
            first = first == null ? p.firstError : first;
        }
        return new Point(relay, clients, rate, s.summary(), m.summary(), errors, first);
    }
}
