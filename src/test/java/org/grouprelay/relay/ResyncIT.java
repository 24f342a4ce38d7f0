package org.grouprelay.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.grouprelay.testing.TestDirectory.GROUPS;
import static org.grouprelay.testing.TestDirectory.PEOPLE;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.ModificationType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.grouprelay.change.GroupChange;
import org.grouprelay.change.GroupRef;
import org.grouprelay.change.Origin;
import org.grouprelay.change.UserRef;
import org.grouprelay.demo.EmbeddedSeafileDb;
import org.grouprelay.testing.LdapFixtures;
import org.grouprelay.testing.Relaying;
import org.grouprelay.testing.TestDirectory;
import org.grouprelay.testing.TestSeafile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An intent that a crash left unconfirmed (the process died between writing it and learning the
 * directory's verdict) is settled at the next start by re-reading its group on both sides: Seafile
 * ends equal to the directory, whatever the intent said and whatever else drifted.
 */
class ResyncIT {
    static TestSeafile seafile;
    static TestDirectory directory;

    @BeforeAll
    static void start() throws Exception {
        seafile = TestSeafile.start();
        seafile.seedAccounts("alice", "bob", "carol", "dave");
        directory = TestDirectory.create(LdapFixtures.people("alice", "bob", "carol", "dave"))
                .relayingTo(seafile, Relaying.relayMode().deadline(Duration.ofSeconds(2))).start();
    }

    @AfterAll
    static void stop() {
        directory.close();
        seafile.close();
    }

    @Test
    void anUnconfirmedIntentMakesSeafileEqualTheDirectoryAtTheNextStart() throws Exception {
        String uuid;
        try (LDAPConnection ldap = directory.admin()) {
            LdapFixtures.createGroup(ldap, "resync", "alice", "bob");
            uuid = ldap.getEntry("cn=resync," + GROUPS, "entryUUID").getAttributeValue("entryUUID");
        }
        assertThat(members("resync")).containsExactly("alice@example.org", "bob@example.org");
        directory.stop();

        // while the relay is off the directory changes (rename, carol in, bob out): Seafile does not learn it
        directory.startDirectoryOnly();
        try (LDAPConnection ldap = directory.admin()) {
            LdapFixtures.modify(ldap, "resync", ModificationType.ADD, "carol");
            LdapFixtures.modify(ldap, "resync", ModificationType.DELETE, "bob");
            ldap.modifyDN("cn=resync," + GROUPS, "cn=resynced", true);
        }
        directory.stop();
        // ... and the outbox ends with intents whose fate the crash hid: dave was never committed, nor the unknown group
        GroupRef group = new GroupRef(uuid, "cn=resync," + GROUPS, "resync");
        GroupRef neverCreated = new GroupRef("00000000-0000-0000-0000-000000000001", "cn=ghost," + GROUPS, "ghost");
        UserRef dave = new UserRef("uid=dave," + PEOPLE, Map.of("mail", "dave@Example.org"));
        Origin origin = new Origin("modify", group.dn(), "uid=admin,ou=system");
        ObjectMapper json = new ObjectMapper();
        Path outbox = directory.config().dataDir().resolve(OutboxLine.FILE);
        String now = Instant.now().toString();
        Files.writeString(outbox, json.writeValueAsString(OutboxLine.intent(1_000, origin, new GroupChange.MemberAdded(group, List.of(dave)), now))
                + "\n" + json.writeValueAsString(OutboxLine.intent(1_001, origin, new GroupChange.GroupCreated(neverCreated), now)) + "\n",
                StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);

        directory.start();
        Relay relay = directory.relay().relay().orElseThrow();
        assertThat(relay.awaitDrained(Duration.ofSeconds(30))).isTrue();
        assertThat(members("resynced")).containsExactly("alice@example.org", "carol@example.org");
        assertThat(members("resync")).isEmpty();
        assertThat(seafile.query(EmbeddedSeafileDb.CCNET, "SELECT group_name FROM `Group` WHERE group_name = 'ghost'")).isEmpty();
        assertThat(Files.readAllLines(directory.auditLog())).filteredOn(l -> l.contains("\"change\":\"group-resync\""))
                .hasSize(2).anySatisfy(l -> assertThat(l).contains("re-read as 'resynced': 1 added, 1 removed"));
    }

    static List<String> members(String groupName) {
        return seafile.query(EmbeddedSeafileDb.CCNET, "SELECT u.user_name FROM `Group` g JOIN GroupUser u USING (group_id)"
                + " WHERE BINARY g.group_name = ? AND u.is_staff = 0 ORDER BY u.user_name", groupName)
                .stream().map(r -> (String) r.get("user_name")).toList();
    }
}
