package org.grouprelay.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.grouprelay.testing.TestDirectory.GROUPS;
import static org.grouprelay.testing.TestDirectory.PEOPLE;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.ModifyDNRequest;
import com.unboundid.ldap.sdk.ResultCode;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.grouprelay.GroupRelay;
import org.grouprelay.config.SeafileConfig;
import org.grouprelay.reconcile.CheckRun;
import org.grouprelay.reconcile.CheckService;
import org.grouprelay.reconcile.Finding;
import org.grouprelay.reconcile.LdapDirectorySource;
import org.grouprelay.targets.Target;
import org.grouprelay.testing.FakeSeafile;
import org.grouprelay.testing.LdapFixtures;
import org.grouprelay.testing.Relaying;
import org.grouprelay.testing.SeafileState;
import org.grouprelay.testing.TestDirectory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Directory over LDAP/TCP → capture → relay → the admin API target → the fake Seafile, in relay and
 * strict mode; assertions on the fake's state. Each test uses its own groups.
 */
class ApiRelayIT {
    static final Duration DEADLINE = Duration.ofSeconds(2);
    static FakeSeafile seafile;
    static TestDirectory relay;
    static TestDirectory strict;

    @BeforeAll
    static void start() throws Exception {
        seafile = FakeSeafile.start();
        String people = LdapFixtures.people("alice", "bob", "carol", "dave", "late");
        for (String name : List.of("alice", "bob", "carol", "dave")) {
            seafile.state().addUser(name + "@example.org", null);
        }
        relay = TestDirectory.create(people).relayingToApi(seafile, Relaying.relayMode().deadline(DEADLINE)).start();
        strict = TestDirectory.create(people).relayingToApi(seafile, Relaying.strictMode().deadline(DEADLINE)).start();
    }

    @AfterAll
    static void stop() {
        strict.close();
        relay.close();
        seafile.close();
    }

    @BeforeEach
    void calm() {
        seafile.calm();
    }

    static SeafileState.Group group(String name) {
        List<SeafileState.Group> named = seafile.state().groups().stream().filter(g -> g.name().equals(name)).toList();
        assertThat(named).as("Seafile groups named " + name).hasSize(1);
        return named.get(0);
    }

    static List<String> members(String name) {
        return seafile.state().members(group(name).id()).stream().filter(u -> !u.equals(FakeSeafile.ADMIN)).toList();
    }

    static Relay relayOf(TestDirectory directory) {
        return directory.relay().relay().orElseThrow();
    }

    @Test
    void ldapChangesReachSeafileThroughTheApiBeforeTheReply() throws Exception {
        try (LDAPConnection ldap = relay.admin()) {
            LdapFixtures.createGroup(ldap, "web", "alice", "bob");
            assertThat(group("web").owner()).isEqualTo(FakeSeafile.ADMIN);
            assertThat(members("web")).containsExactlyInAnyOrder("alice@example.org", "bob@example.org");
            LdapFixtures.modify(ldap, "web", ModificationType.ADD, "carol");
            LdapFixtures.modify(ldap, "web", ModificationType.DELETE, "alice");
            assertThat(members("web")).containsExactly("bob@example.org", "carol@example.org");
            long id = group("web").id();
            ldap.modifyDN(new ModifyDNRequest("cn=web," + GROUPS, "cn=web & mobile", true));
            assertThat(seafile.state().group(id).orElseThrow().name()).isEqualTo("web - mobile");
            ldap.delete("cn=web & mobile," + GROUPS);
            assertThat(seafile.state().group(id)).isEmpty();
        }
        assertThat(Files.readAllLines(relay.auditLog())).anySatisfy(l -> assertThat(l).contains("\"group\":\"web\"", "\"outcome\":\"applied\""));
    }

    @Test
    void aServerErrorStormIsQueuedAndDrainedInOrder() throws Exception {
        try (LDAPConnection ldap = relay.admin()) {
            LdapFixtures.createGroup(ldap, "storm", "alice");
            seafile.failNext(100_000, 500);
            LdapFixtures.modify(ldap, "storm", ModificationType.ADD, "bob");
            LdapFixtures.modify(ldap, "storm", ModificationType.ADD, "carol");
            LdapFixtures.modify(ldap, "storm", ModificationType.DELETE, "bob");   // order matters: bob ends up out
            LdapFixtures.modify(ldap, "storm", ModificationType.DELETE, "alice");
            LdapFixtures.modify(ldap, "storm", ModificationType.ADD, "alice");    // ... and alice back in
            assertThat(relayOf(relay).outboxDepth()).isEqualTo(5);
            assertThat(members("storm")).containsExactly("alice@example.org");
            seafile.calm();
            assertThat(relayOf(relay).awaitDrained(Duration.ofSeconds(30))).isTrue();
            // insertion order shows the order of application: alice was removed, then added back after carol
            assertThat(members("storm")).containsExactly("carol@example.org", "alice@example.org");
        }
        assertThat(Files.readAllLines(relay.auditLog())).anySatisfy(l -> assertThat(l).contains("\"group\":\"storm\"", "\"outcome\":\"queued\""))
                .anySatisfy(l -> assertThat(l).contains("\"group\":\"storm\"", "applied after"));
    }

    @Test
    void strictModeRefusesWith52WhileSeafileFailsAndChangesNeitherSide() throws Exception {
        try (LDAPConnection ldap = strict.admin()) {
            LdapFixtures.createGroup(ldap, "strict-api", "alice");
            seafile.failNext(100_000, 502);
            assertThatThrownBy(() -> LdapFixtures.modify(ldap, "strict-api", ModificationType.ADD, "bob"))
                    .isInstanceOfSatisfying(LDAPException.class, e -> {
                        assertThat(e.getResultCode()).isEqualTo(ResultCode.UNAVAILABLE);
                        assertThat(e.getDiagnosticMessage()).contains("strict mode", "HTTP 502", "nothing was changed");
                    });
            seafile.calm();
            assertThat(members("strict-api")).containsExactly("alice@example.org");
            assertThat(ldap.getEntry("cn=strict-api," + GROUPS).getAttributeValues("member")).doesNotContain("uid=bob," + PEOPLE);
            LdapFixtures.modify(ldap, "strict-api", ModificationType.ADD, "bob");
            assertThat(members("strict-api")).containsExactly("alice@example.org", "bob@example.org");
        }
    }

    @Test
    void strictModeRefusesWith53WhatSeafileWillNeverTake() throws Exception {
        seafile.state().createByHand("taken", "carol@example.org");
        try (LDAPConnection ldap = strict.admin()) {
            assertThatThrownBy(() -> LdapFixtures.createGroup(ldap, "taken", "alice"))
                    .isInstanceOfSatisfying(LDAPException.class, e -> {
                        assertThat(e.getResultCode()).isEqualTo(ResultCode.UNWILLING_TO_PERFORM);
                        assertThat(e.getDiagnosticMessage()).contains("There is already a group with that name.", "seafile.adopt");
                    });
            assertThat(ldap.getEntry("cn=taken," + GROUPS)).isNull();
        }
        assertThat(members("taken")).containsExactly("carol@example.org");
    }

    @Test
    void serveRefusesToStartWhenTheUrlIsNotSeafilesAndNamesTheKey() throws Exception {
        try (TestDirectory wrong = TestDirectory.create("")) {
            wrong.relayingToApi(seafile, Relaying.relayMode().deadline(DEADLINE));
            SeafileConfig config = wrong.fullConfig().seafile().orElseThrow();
            SeafileConfig.Api api = config.api().orElseThrow();
            wrong.relayingTo(new SeafileConfig(config.target(), config.mode(), config.nested(), config.adopt(), config.sql(),
                    java.util.Optional.of(new SeafileConfig.Api(api.url() + "/not-seafile", api.token(), api.username(), api.password(),
                            api.timeout(), api.maxRequestsPerSecond(), api.caFile())),
                    config.users(), config.groupCreator(), config.placeholderMember(), config.auditLog(), config.deadline()));
            assertThatThrownBy(wrong::start).hasMessageContaining("HTTP 404").hasMessageContaining("check seafile.api.url");
        }
    }

    @Test
    void aPendingMemberIsAppliedSoonAfterTheAccountAppears() throws Exception {
        try (LDAPConnection ldap = relay.admin()) {
            LdapFixtures.createGroup(ldap, "waiting", "alice", "late");
            assertThat(members("waiting")).containsExactly("alice@example.org");
            seafile.state().addUser("late@example.org", null);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (!members("waiting").contains("late@example.org") && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertThat(members("waiting")).containsExactly("alice@example.org", "late@example.org");
        }
    }

    @Test
    void theConsistencyCheckFindsAndRepairsDriftThroughTheApi() throws Exception {
        try (LDAPConnection ldap = relay.admin()) {
            LdapFixtures.createGroup(ldap, "checked", "alice", "bob");
        }
        long id = group("checked").id();
        seafile.state().addMemberByHand(id, "dave@example.org");
        seafile.state().renameByHand(id, "renamed by hand");
        try (Target target = org.grouprelay.targets.Targets.seafile(relay.fullConfig().seafile().orElseThrow(), relay.config().dataDir(), Clock.systemUTC())) {
            CheckService service = GroupRelay.checkService(relay.fullConfig(), target, Clock.systemUTC());
            CheckRun found;
            try (LdapDirectorySource source = new LdapDirectorySource(relay.config())) {
                found = service.run(source, new CheckService.Options(Set.of("checked"), true, false, false));
            }
            assertThat(found.plan().findings()).extracting(Finding::kind).contains(Finding.Kind.MEMBER_EXTRA, Finding.Kind.NAME_DIFFERS);
            assertThat(found.repair().orElseThrow().failures()).isEmpty();
            assertThat(seafile.state().group(id).orElseThrow().name()).isEqualTo("checked");
            assertThat(members("checked")).containsExactlyInAnyOrder("alice@example.org", "bob@example.org");
            try (LdapDirectorySource source = new LdapDirectorySource(relay.config())) {
                CheckRun again = service.run(source, new CheckService.Options(Set.of("checked"), false, false, false));
                assertThat(again.plan().inSync()).as(again.plan().findings().toString()).isTrue();
            }
        }
    }
}
