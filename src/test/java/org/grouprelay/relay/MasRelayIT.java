package org.grouprelay.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.grouprelay.testing.TestDirectory.GROUPS;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.grouprelay.GroupRelay;
import org.grouprelay.config.MasConfig;
import org.grouprelay.config.TargetConfig;
import org.grouprelay.reconcile.CheckRun;
import org.grouprelay.reconcile.CheckService;
import org.grouprelay.reconcile.Finding;
import org.grouprelay.reconcile.LdapDirectorySource;
import org.grouprelay.targets.Target;
import org.grouprelay.targets.Targets;
import org.grouprelay.testing.LdapFixtures;
import org.grouprelay.testing.TestDirectory;
import org.grouprelay.testing.Waits;
import org.grouprelay.testing.mas.FakeMas;
import org.grouprelay.testing.mas.MasTargets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Test;

/**
 * Directory over LDAP/TCP → capture → relay → MAS's admin API (a stateful fake that checks every request against MAS's
 * OpenAPI document and records an erasure as an account gone for good). Target {@code matrix} switches accounts by
 * {@code matrix-users} and deactivates; target {@code matrix-lock} switches by {@code lock-users} and locks. Every row of
 * the table, a nested member, pending → active, MAS down, and the check with its guard.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MasRelayIT {
    static final List<String> NAMES = List.of("alice", "bob", "carol", "dave", "erin", "frank", "gina", "hank", "ivan", "judy", "kim",
            "newbie", "otto", "pat", "quinn", "ruth");
    static FakeMas mas;
    static TestDirectory directory;
    static LDAPConnection ldap;

    @BeforeAll
    static void start() throws Exception {
        mas = FakeMas.start();
        for (String name : NAMES) {
            if (!name.equals("newbie")) {
                mas.addAccount(name);
            }
        }
        mas.addAccount("bridge-bot"); // MAS's own: no directory user
        directory = TestDirectory.create(LdapFixtures.people(NAMES));
        directory.alsoRelayingTo(MasTargets.of("matrix", mas, directory.config().dataDir(), "matrix-users", MasConfig.Offboard.DEACTIVATE));
        directory.alsoRelayingTo(MasTargets.of("matrix-lock", mas, directory.config().dataDir(), "lock-users", MasConfig.Offboard.LOCK));
        directory.start();
        ldap = directory.admin();
        LdapFixtures.createGroup(ldap, "matrix-users", "alice");
        LdapFixtures.createGroup(ldap, "lock-users", "alice");
    }

    @AfterAll
    static void stop() {
        ldap.close();
        directory.close();
        mas.close();
    }

    static FakeMas.Account account(String name) {
        return mas.account(name).orElseThrow(() -> new AssertionError("no MAS account " + name));
    }

    static long posts(String name) {
        String id = account(name).id();
        return mas.requests().stream().filter(r -> r.method().equals("POST") && r.path().contains(id)).count();
    }

    @Test
    void aMemberWhoseAccountIsActiveCostsNoWrite() throws Exception {
        LdapFixtures.modify(ldap, "matrix-users", ModificationType.ADD, "bob");
        assertThat(account("bob").active()).isTrue();
        assertThat(posts("bob")).isZero();
    }

    @Test
    void aDeactivatedOrLockedMemberIsReactivatedAndUnlocked() throws Exception {
        mas.deactivateByHand("carol");
        mas.lockByHand("dave");
        LdapFixtures.modify(ldap, "matrix-users", ModificationType.ADD, "carol", "dave");
        assertThat(account("carol").active()).isTrue();
        assertThat(account("dave").active()).isTrue();
        assertThat(mas.violations()).isEmpty();
    }

    @Test
    void leavingTheGroupDeactivatesWithoutErasingAndAnInactiveAccountIsLeftAlone() throws Exception {
        LdapFixtures.modify(ldap, "matrix-users", ModificationType.ADD, "erin", "frank");
        mas.lockByHand("frank");
        mas.clearRequests();
        LdapFixtures.modify(ldap, "matrix-users", ModificationType.DELETE, "erin", "frank");
        assertThat(account("erin").deactivated()).isTrue();
        assertThat(account("erin").erased()).isFalse();
        assertThat(posts("frank")).isZero(); // already locked: not in the group and off, nothing to do
        assertThat(mas.requests()).anySatisfy(r -> assertThat(r.body()).contains("\"skip_erase\":true"));
        assertThat(mas.violations()).isEmpty();
    }

    @Test
    void offboardLockLocksInsteadOfDeactivating() throws Exception {
        LdapFixtures.modify(ldap, "lock-users", ModificationType.ADD, "gina");
        LdapFixtures.modify(ldap, "lock-users", ModificationType.DELETE, "gina");
        assertThat(account("gina").locked()).isTrue();
        assertThat(account("gina").deactivated()).isFalse();
    }

    @Test
    void aMemberOfANestedGroupCounts() throws Exception {
        mas.deactivateByHand("hank");
        LdapFixtures.createGroup(ldap, "matrix-contractors", "hank");
        ldap.modify("cn=matrix-users," + GROUPS, new Modification(ModificationType.ADD, "member", "cn=matrix-contractors," + GROUPS));
        assertThat(account("hank").active()).isTrue();
        LdapFixtures.modify(ldap, "matrix-contractors", ModificationType.DELETE, "hank");
        assertThat(account("hank").deactivated()).isTrue();
    }

    @Test
    void aMemberWithoutAnAccountIsPendingThenActivatedOnceItAppears() throws Exception {
        LdapFixtures.modify(ldap, "matrix-users", ModificationType.ADD, "newbie");
        assertThat(mas.account("newbie")).isEmpty();
        Files.readString(directory.config().dataDir().resolve("targets/matrix/audit.jsonl")).lines()
                .filter(l -> l.contains("uid=newbie")).findFirst().ifPresentOrElse(l -> assertThat(l).contains("\"pending\""),
                        () -> { throw new AssertionError("no audit line for newbie"); });
        mas.addAccount("newbie"); // the first SSO login
        mas.lockByHand("newbie"); // and an admin's lock, which membership overrides
        Waits.until(Duration.ofSeconds(20), () -> account("newbie").active());
    }

    @Test
    void masDownQueuesTheChangesAndDrainsThemInOrder() throws Exception {
        LdapFixtures.modify(ldap, "matrix-users", ModificationType.ADD, "ivan");
        mas.stop();
        try {
            LdapFixtures.modify(ldap, "matrix-users", ModificationType.DELETE, "ivan");
            LdapFixtures.modify(ldap, "matrix-users", ModificationType.ADD, "ivan");
            LdapFixtures.modify(ldap, "matrix-users", ModificationType.DELETE, "ivan");
        } finally {
            mas.restart();
        }
        Relay matrix = directory.relay().targets().stream().filter(t -> t.config().name().equals("matrix")).findFirst().orElseThrow().relay();
        Waits.until(Duration.ofSeconds(60), () -> matrix.outboxDepth() == 0);
        assertThat(account("ivan").deactivated()).isTrue(); // the last change wins because they were applied in order
        assertThat(mas.violations()).isEmpty();
    }

    @Test
    @Order(Integer.MAX_VALUE) // its repair switches off every account outside the groups: last
    void theCheckDeactivatesDirectoryUsersOutsideTheGroupListsMasOwnAccountsAndIsGuarded() throws Exception {
        LdapFixtures.modify(ldap, "matrix-users", ModificationType.ADD, "judy");
        mas.deactivateByHand("judy"); // drift: a member who cannot log in
        TargetConfig matrix = directory.fullConfig().target("matrix").orElseThrow();
        try (Target target = Targets.open(matrix, directory.config().dataDir(), Clock.systemUTC());
                LdapDirectorySource source = new LdapDirectorySource(directory.config())) {
            CheckService service = GroupRelay.checkService(directory.fullConfig(), matrix, target, Clock.systemUTC());
            CheckRun guarded = service.run(source, new CheckService.Options(Set.of(), true, false, false));
            // kim, otto, pat, quinn, ruth (and others) have active accounts but are not in matrix-users: drift, many at once
            assertThat(guarded.plan().findings()).filteredOn(f -> f.kind() == Finding.Kind.MEMBER_EXTRA).extracting(Finding::user)
                    .contains("kim", "otto", "pat", "quinn", "ruth");
            assertThat(guarded.plan().findings()).filteredOn(f -> f.kind() == Finding.Kind.NOT_MANAGED).extracting(Finding::user)
                    .containsExactly("bridge-bot");
            assertThat(guarded.plan().findings()).filteredOn(f -> f.kind() == Finding.Kind.MEMBER_MISSING).extracting(Finding::user)
                    .containsExactly("judy");
            assertThat(guarded.refused()).isPresent(); // the mass-deactivation guard
            assertThat(account("kim").active()).isTrue();

            CheckRun forced = service.run(source, new CheckService.Options(Set.of(), true, false, true));
            assertThat(forced.repair()).isPresent();
            assertThat(account("kim").deactivated()).isTrue();
            assertThat(account("judy").active()).isTrue();
            assertThat(account("bridge-bot").active()).isTrue(); // never touched
            assertThat(account("kim").erased()).isFalse();
            CheckRun clean = service.run(source, new CheckService.Options(Set.of(), false, false, false));
            assertThat(clean.plan().findings()).filteredOn(f -> f.kind().drift()).isEmpty();
        }
        assertThat(mas.violations()).isEmpty();
    }
}
