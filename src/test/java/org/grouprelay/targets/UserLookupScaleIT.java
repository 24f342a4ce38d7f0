package org.grouprelay.targets;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.grouprelay.demo.EmbeddedSeafileDb;
import org.grouprelay.mapping.MappingRule;
import org.grouprelay.mapping.Strategy;
import org.grouprelay.mapping.UserLookup;
import org.grouprelay.targets.seafile.sql.SqlTarget;
import org.grouprelay.testing.TestSeafile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Mapping lookups for many users at once (the consistency check maps every user in one call) read
 * the whole table instead of hundreds of IN queries: they must find exactly what the IN queries find,
 * case-insensitively, within the provider, in both account tables.
 */
class UserLookupScaleIT {
    static final int USERS = 6_000;
    static TestSeafile seafile;
    static SqlTarget target;

    @BeforeAll
    static void start() throws Exception {
        seafile = TestSeafile.start();
        seafile.seedAccountsInBulk(USERS, i -> "user" + i + "@example.org");
        seafile.update(EmbeddedSeafileDb.CCNET, "INSERT INTO LDAPUsers (email, password, is_staff, is_active) "
                + "VALUES ('ldap-only@example.org', '', 0, 1)");
        for (int i = 0; i < USERS; i += 2) {
            seafile.db().seedSocialAuth("user" + i + "@example.org", "keycloak", "uid-" + i);
        }
        seafile.db().seedSocialAuth("user1@example.org", "github", "uid-1"); // same uid, another provider
        target = new SqlTarget(seafile.sqlSettings(Duration.ofSeconds(5)), "admin@example.org", false, Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        target.close();
        seafile.close();
    }

    @Test
    void accountsFoundInOnePassEqualThoseFoundByKey() throws Exception {
        Set<String> keys = new LinkedHashSet<>();
        for (int i = 0; i < USERS; i++) {
            keys.add(i % 3 == 0 ? ("User" + i + "@Example.ORG") : ("user" + i + "@example.org"));
        }
        keys.add("ldap-only@example.org");
        keys.add("nobody@example.org");
        UserLookup lookup = target.users();

        Set<String> all = lowered(lookup.existing(keys));
        assertThat(all).hasSize(USERS + 1).contains("ldap-only@example.org", "user3@example.org").doesNotContain("nobody@example.org");
        assertThat(all).isEqualTo(inSmallBatches(keys, batch -> lowered(lookup.existing(batch))));

        Map<String, String> byEmail = lookup.find(new MappingRule(Strategy.EMAIL, null, "mail"), keys);
        assertThat(lowered(byEmail.keySet())).isEqualTo(all);
    }

    @Test
    void socialAuthInOnePassStaysWithinItsProvider() throws Exception {
        Set<String> uids = new LinkedHashSet<>();
        for (int i = 0; i < USERS; i++) {
            uids.add("uid-" + i);
        }
        MappingRule rule = new MappingRule(Strategy.SOCIAL_AUTH, "keycloak", "uid");
        Map<String, String> found = target.users().find(rule, uids);
        assertThat(found).hasSize(USERS / 2).containsEntry("uid-0", "user0@example.org").doesNotContainKey("uid-1");
        Map<String, String> byKey = new HashMap<>();
        inSmallBatches(uids, batch -> {
            byKey.putAll(target.users().find(rule, batch));
            return Set.of();
        });
        assertThat(found).isEqualTo(byKey);
    }

    interface Lookup {
        Set<String> apply(Set<String> batch) throws Exception;
    }

    /** The same lookup in batches below the one-pass threshold, i.e. by IN queries. */
    static Set<String> inSmallBatches(Set<String> keys, Lookup lookup) throws Exception {
        Set<String> found = new HashSet<>();
        List<String> list = new ArrayList<>(keys);
        for (int from = 0; from < list.size(); from += 1000) {
            found.addAll(lookup.apply(new LinkedHashSet<>(list.subList(from, Math.min(list.size(), from + 1000)))));
        }
        return found;
    }

    static Set<String> lowered(Set<String> ids) {
        Set<String> lower = new HashSet<>();
        ids.forEach(id -> lower.add(id.toLowerCase(Locale.ROOT)));
        return lower;
    }
}
