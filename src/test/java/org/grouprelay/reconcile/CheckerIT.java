package org.grouprelay.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.grouprelay.testing.TestDirectory.PEOPLE;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.ModificationType;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.grouprelay.GroupRelay;
import org.grouprelay.demo.EmbeddedSeafileDb;
import org.grouprelay.testing.LdapFixtures;
import org.grouprelay.targets.seafile.sql.SqlTarget;
import org.grouprelay.testing.Relaying;
import org.grouprelay.testing.TestDirectory;
import org.grouprelay.testing.TestSeafile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Drift made behind the relay's back (direct SQL, LDAP edits while the relay is off), found and repaired. */
class CheckerIT {
    static final String CCNET = EmbeddedSeafileDb.CCNET;
    static TestSeafile seafile;
    static TestDirectory directory;
    static SqlTarget target;
    static CheckService service;
    static int groupCounter;
    String group;

    @BeforeAll
    static void start() throws Exception {
        seafile = TestSeafile.start();
        seafile.seedAccounts("alice", "bob", "carol", "dave", "erin");
        directory = TestDirectory.create(LdapFixtures.people("alice", "bob", "carol", "dave", "erin", "nobody"))
                .relayingTo(seafile, Relaying.relayMode()).start();
        target = org.grouprelay.targets.Targets.sqlTarget(directory.fullConfig().seafile().orElseThrow(), Clock.systemUTC());
        service = GroupRelay.checkService(directory.fullConfig(), target, Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        target.close();
        directory.close();
        seafile.close();
    }

    @BeforeEach
    void freshGroup() throws Exception {
        group = "team" + (++groupCounter);
        try (LDAPConnection ldap = directory.admin()) {
            LdapFixtures.createGroup(ldap, group, "alice", "bob", "carol");
        }
    }

    @AfterEach
    void relayBackOn() throws Exception {
        if (directory.relay().relay().isEmpty()) {
            directory.stop();
            directory.start();
        }
    }

    CheckRun run(CheckService.Options options) throws Exception {
        try (LdapDirectorySource source = new LdapDirectorySource(directory.config())) {
            return service.run(source, options);
        }
    }

    Plan check() throws Exception {
        return run(new CheckService.Options(Set.of(group), false, false, false)).plan();
    }

    long groupId() {
        return ((Number) seafile.query(CCNET, "SELECT group_id FROM `Group` WHERE group_name = ?", group).get(0).get("group_id")).longValue();
    }

    static List<Map<String, Object>> dump() {
        return seafile.query(CCNET, "SELECT g.group_id, g.group_name, u.user_name, u.is_staff FROM `Group` g"
                + " LEFT JOIN GroupUser u USING (group_id) ORDER BY g.group_id, u.user_name");
    }

    @Test
    void aGroupTheRelayKeptInSyncIsInSync() throws Exception {
        Plan plan = check();
        assertThat(plan.inSync()).as(plan.findings().toString()).isTrue();
        assertThat(plan.memberships()).isEqualTo(3);
    }

    @Test
    void rowsChangedBehindTheRelaysBackAreFoundAndRepaired() throws Exception {
        long id = groupId();
        seafile.update(CCNET, "DELETE FROM GroupUser WHERE group_id = ? AND user_name = 'bob@example.org'", id);
        seafile.update(CCNET, "INSERT INTO GroupUser (group_id, user_name, is_staff) VALUES (?, 'erin@example.org', 0)", id);
        seafile.update(CCNET, "UPDATE `Group` SET group_name = 'renamed by hand' WHERE group_id = ?", id);
        Plan plan = check();
        assertThat(plan.findings()).extracting(Finding::kind, Finding::user).contains(
                org.assertj.core.groups.Tuple.tuple(Finding.Kind.MEMBER_MISSING, "bob@example.org"),
                org.assertj.core.groups.Tuple.tuple(Finding.Kind.MEMBER_EXTRA, "erin@example.org"),
                org.assertj.core.groups.Tuple.tuple(Finding.Kind.NAME_DIFFERS, null));
        CheckRun repaired = run(new CheckService.Options(Set.of(group), true, false, false));
        assertThat(repaired.repair()).hasValueSatisfying(r -> {
            assertThat(r.failures()).isEmpty();
            assertThat(r.membersAdded()).isEqualTo(1);
            assertThat(r.membersRemoved()).isEqualTo(1);
            assertThat(r.groupsRenamed()).isEqualTo(1);
        });
        assertThat(check().inSync()).isTrue();
    }

    @Test
    void aSeafileGroupDeletedByHandIsRecreated() throws Exception {
        seafile.update(CCNET, "DELETE FROM `Group` WHERE group_id = ?", groupId());
        assertThat(check().findings()).extracting(Finding::kind).contains(Finding.Kind.GROUP_MISSING);
        run(new CheckService.Options(Set.of(group), true, false, false));
        assertThat(check().inSync()).isTrue();
        assertThat(seafile.groupUsers(groupId())).contains("alice@example.org", "bob@example.org", "carol@example.org");
    }

    @Test
    void ldapEditsMadeWhileTheRelayWasOffAreFoundAndRepaired() throws Exception {
        directory.stop();
        directory.startDirectoryOnly();
        try (LDAPConnection ldap = directory.admin()) {
            LdapFixtures.modify(ldap, group, ModificationType.ADD, "dave");
            LdapFixtures.modify(ldap, group, ModificationType.DELETE, "alice");
            LdapFixtures.createGroup(ldap, group + "-new", "erin");
        }
        Plan plan = run(new CheckService.Options(Set.of(group, group + "-new"), false, false, false)).plan();
        assertThat(plan.findings()).extracting(Finding::kind, Finding::user).contains(
                org.assertj.core.groups.Tuple.tuple(Finding.Kind.MEMBER_MISSING, "dave@example.org"),
                org.assertj.core.groups.Tuple.tuple(Finding.Kind.MEMBER_EXTRA, "alice@example.org"),
                org.assertj.core.groups.Tuple.tuple(Finding.Kind.GROUP_NOT_LINKED, null));
        CheckRun repair = run(new CheckService.Options(Set.of(group, group + "-new"), true, false, false));
        assertThat(repair.refused()).isEmpty();
        Plan after = run(new CheckService.Options(Set.of(group, group + "-new"), false, false, false)).plan();
        assertThat(after.inSync()).as(after.findings().toString()).isTrue();
        assertThat(seafile.groupUsers(groupId())).doesNotContain("alice@example.org").contains("dave@example.org");
    }

    @Test
    void aDryRunPrintsThePlanAndChangesNothing() throws Exception {
        seafile.update(CCNET, "DELETE FROM GroupUser WHERE group_id = ? AND user_name = 'carol@example.org'", groupId());
        List<Map<String, Object>> before = dump();
        CheckRun dry = run(new CheckService.Options(Set.of(group), true, true, false));
        assertThat(dry.mode()).isEqualTo("dry-run");
        assertThat(dry.plan().actions()).singleElement().isInstanceOf(RepairAction.AddMembers.class);
        assertThat(dump()).isEqualTo(before);
    }

    @Test
    void theMassRemovalGuardRefusesAndForcePasses() throws Exception {
        long id = groupId();
        seafile.update(CCNET, "INSERT INTO GroupUser (group_id, user_name, is_staff) VALUES (?, 'dave@example.org', 0), (?, 'erin@example.org', 0)", id, id);
        CheckRun refused = run(new CheckService.Options(Set.of(group), true, false, false));
        assertThat(refused.refused()).hasValueSatisfying(r -> assertThat(r).contains("maxRemovalShare", "--force"));
        assertThat(seafile.groupUsers(id)).contains("dave@example.org", "erin@example.org");
        CheckRun forced = run(new CheckService.Options(Set.of(group), true, false, true));
        assertThat(forced.repair()).hasValueSatisfying(r -> assertThat(r.membersRemoved()).isEqualTo(2));
        assertThat(seafile.groupUsers(id)).doesNotContain("dave@example.org", "erin@example.org");
    }

    @Test
    void theScheduledCheckRunsOnItsCronAgainstTheInProcessDirectoryAndNeverOverlaps() throws Exception {
        java.util.concurrent.atomic.AtomicInteger running = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger maxRunning = new java.util.concurrent.atomic.AtomicInteger();
        java.util.List<CheckRun> runs = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (ScheduledCheck scheduled = new ScheduledCheck("* * * * * ?", service,
                new InProcessDirectorySource(directory.relay().directory().service()), run -> {
                    maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
                    try {
                        Thread.sleep(1500); // longer than the 1 s schedule: the next run must wait
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    runs.add(run);
                    running.decrementAndGet();
                }, Clock.systemUTC()).start()) {
            long end = System.nanoTime() + java.time.Duration.ofSeconds(20).toNanos();
            while (runs.size() < 2 && System.nanoTime() < end) {
                Thread.sleep(100);
            }
        }
        assertThat(runs).hasSizeGreaterThanOrEqualTo(2);
        assertThat(maxRunning.get()).isEqualTo(1);
        assertThat(runs.get(0).mode()).isEqualTo("check");
        assertThat(service.local().lastRun()).hasValueSatisfying(last -> assertThat(last.mode()).isEqualTo("check"));
    }

    @Test
    void unlinkedSeafileGroupsAreNeverTouchedAndPendingMembersAreReported() throws Exception {
        seafile.update(CCNET, "INSERT INTO `Group` (group_name, creator_name, timestamp, parent_group_id) VALUES ('manual', 'erin@example.org', 1, 0)");
        long manual = ((Number) seafile.query(CCNET, "SELECT group_id FROM `Group` WHERE group_name = 'manual'").get(0).get("group_id")).longValue();
        seafile.update(CCNET, "INSERT INTO GroupUser (group_id, user_name, is_staff) VALUES (?, 'erin@example.org', 1)", manual);
        try (LDAPConnection ldap = directory.admin()) {
            LdapFixtures.modify(ldap, group, ModificationType.ADD, "nobody");
        }
        CheckRun all = run(new CheckService.Options(Set.of(), true, false, true));
        assertThat(all.plan().findings()).anySatisfy(f -> {
            assertThat(f.kind()).isEqualTo(Finding.Kind.MEMBER_PENDING);
            assertThat(f.user()).isEqualTo("uid=nobody," + PEOPLE);
        });
        assertThat(seafile.groupUsers(manual)).containsExactly("erin@example.org");
    }
}
