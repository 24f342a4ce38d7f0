package org.grouprelay.bench;

import static org.grouprelay.testing.TestDirectory.GROUPS;
import static org.grouprelay.testing.TestDirectory.PEOPLE;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.controls.SimplePagedResultsControl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.grouprelay.testing.TempFiles;
import org.grouprelay.testing.TestDirectory;

/**
 * A generated directory of {@code users} people and {@code groups} groups of {@code perGroup} members
 * each, built once (directory only, no relay) and kept under {@code target/bench-data/} so later runs
 * start from a copy. Group {@code g}'s k-th member is user {@code (g * perGroup + k * 997) % users}:
 * every user is in about the same number of groups, and no group has a member twice.
 */
record ScaleData(int users, int groups, int perGroup) {
    static final int LOADERS = 4;

    static String uid(int i) {
        return String.format(Locale.ROOT, "s%06d", i);
    }

    static String userDn(int i) {
        return "uid=" + uid(i) + "," + PEOPLE;
    }

    static String mail(int i) {
        return uid(i) + "@example.org";
    }

    static String groupName(int g) {
        return String.format(Locale.ROOT, "scale-%05d", g);
    }

    static String groupDn(int g) {
        return "cn=" + groupName(g) + "," + GROUPS;
    }

    int member(int g, int k) {
        return (int) (((long) g * perGroup + (long) k * 997) % users);
    }

    long memberships() {
        return (long) groups * perGroup;
    }

    Path cache() {
        return Path.of("target", "bench-data", "scale-" + users + "u-" + groups + "g-" + perGroup + "m").toAbsolutePath();
    }

    /** Copies the cached data directory into {@code dir}'s (building the cache first if needed); the directory must be stopped. */
    double copyInto(TestDirectory dir) throws Exception {
        Path cache = cache();
        if (!Files.exists(cache.resolve("complete"))) {
            build(cache);
        }
        long t = System.nanoTime();
        Bench.copyTree(cache.resolve("data"), dir.config().dataDir());
        return (System.nanoTime() - t) / 1e9;
    }

    private void build(Path cache) throws Exception {
        TempFiles.deleteRecursively(cache);
        long t0 = System.nanoTime();
        // Built in memory (tmpfs) when the machine has one: ApacheDS syncs every index file on every add, which makes
        // 110,000 adds on a disk take about 13 minutes (140 entries/s here). Measurements run on a copy on disk.
        Path shm = Path.of("/dev/shm");
        try (TestDirectory dir = Files.isDirectory(shm) && Files.isWritable(shm) ? TestDirectory.create("", shm) : TestDirectory.create("")) {
            dir.startDirectoryOnly();
            parallel(users, i -> new Entry(userDn(i), new Attribute("objectClass", "inetOrgPerson"), new Attribute("uid", uid(i)),
                    new Attribute("sn", uid(i)), new Attribute("cn", uid(i)), new Attribute("mail", mail(i))), dir, "users");
            double usersSeconds = (System.nanoTime() - t0) / 1e9;
            Bench.log("scale data: %d users in %.0f s (%.0f entries/s)", users, usersSeconds, users / usersSeconds);
            long t1 = System.nanoTime();
            parallel(groups, g -> {
                String[] members = new String[perGroup];
                for (int k = 0; k < perGroup; k++) {
                    members[k] = userDn(member(g, k));
                }
                return new Entry(groupDn(g), new Attribute("objectClass", "groupOfNames"), new Attribute("cn", groupName(g)),
                        new Attribute("member", members));
            }, dir, "groups");
            double groupSeconds = (System.nanoTime() - t1) / 1e9;
            Bench.log("scale data: %d groups with %d members each in %.0f s (%.0f memberships/s)", groups, perGroup, groupSeconds,
                    memberships() / groupSeconds);
            dir.stop();
            Bench.copyTree(dir.config().dataDir(), cache.resolve("data"));
        }
        Files.writeString(cache.resolve("complete"), "built in " + Math.round((System.nanoTime() - t0) / 1e9) + " s\n");
    }

    interface EntryMaker {
        Entry make(int i);
    }

    private static void parallel(int count, EntryMaker maker, TestDirectory dir, String what) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(LOADERS);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < LOADERS; t++) {
                int first = t;
                done.add(pool.submit(() -> {
                    try (LDAPConnection c = dir.admin()) {
                        for (int i = first; i < count; i += LOADERS) {
                            c.add(maker.make(i));
                            if (first == 0 && i % 20_000 == 0 && i > 0) {
                                Bench.log("scale data: %d %s", i, what);
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** entryUUID by group name, read with one paged search. */
    static Map<String, String> groupUuids(LDAPConnection c) throws LDAPException {
        Map<String, String> uuids = new LinkedHashMap<>();
        SearchRequest search = new SearchRequest(GROUPS, SearchScope.ONE, "(objectClass=groupOfNames)", "cn", "entryUUID");
        com.unboundid.asn1.ASN1OctetString cookie = null;
        do {
            search.setControls(new SimplePagedResultsControl(1000, cookie));
            var result = c.search(search);
            for (SearchResultEntry e : result.getSearchEntries()) {
                uuids.put(e.getAttributeValue("cn"), e.getAttributeValue("entryUUID"));
            }
            SimplePagedResultsControl page = SimplePagedResultsControl.get(result);
            cookie = page == null || page.getCookie().getValueLength() == 0 ? null : page.getCookie();
        } while (cookie != null);
        return uuids;
    }
}
