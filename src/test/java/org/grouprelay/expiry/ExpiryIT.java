package org.grouprelay.expiry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.grouprelay.testing.TestDirectory.group;
import static org.grouprelay.testing.TestDirectory.user;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.grouprelay.testing.TestDirectory.GROUPS;
import static org.grouprelay.testing.TestDirectory.PEOPLE;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.ResultCode;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.grouprelay.config.CheckConfig;
import org.grouprelay.config.ExpiryConfig;
import org.grouprelay.demo.EmbeddedSeafileDb;
import org.grouprelay.directory.ExpiryValue;
import org.grouprelay.testing.LdapFixtures;
import org.grouprelay.testing.Relaying;
import org.grouprelay.testing.TestClock;
import org.grouprelay.testing.TestDirectory;
import org.grouprelay.testing.TestSeafile;
import org.grouprelay.testing.Waits;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Memberships that expire, end to end: values written over LDAP (by hand and by {@code grouprelayMembershipDays}),
 * their end inside {@code serve} relayed to a real MariaDB with Seafile's tables, notices and the digest through a real
 * SMTP server. Time is a test clock moved by days; the directory checks every second.
 */
class ExpiryIT {
    @RegisterExtension
    static final GreenMailExtension SMTP = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort()).withPerMethodLifecycle(false);
    static final Duration BOUND = Duration.ofSeconds(60);
    static final String EXPIRY = "grouprelayMemberExpiry";
    static final List<String> PEOPLE_NAMES = List.of("alice", "bob", "carol", "dave", "erin", "frank", "gina", "hank", "ivy", "jo");

    static TestSeafile seafile;
    static TestDirectory directory;
    static TestClock clock;
    static LDAPConnection ldap;

    @BeforeAll
    static void start() throws Exception {
        seafile = TestSeafile.start();
        seafile.seedAccounts(PEOPLE_NAMES);
        clock = TestClock.now();
        CheckConfig check = new CheckConfig("0 30 2 * * ?", 0.2, false, Optional.of(new CheckConfig.Email(List.of("ops@example.org"),
                "grouprelay@example.org", new CheckConfig.Smtp("127.0.0.1", SMTP.getSmtp().getPort(), false, false, Optional.empty(),
                Optional.empty()))));
        directory = TestDirectory.create(LdapFixtures.people(PEOPLE_NAMES)).relayingTo(seafile, Relaying.relayMode()).withClock(clock)
                .withCheck(check).withExpiry(new ExpiryConfig(true, 21, Optional.of("it-desk@example.org"), Optional.empty(),
                        Duration.ofSeconds(1)))
                .start();
        ldap = directory.admin();
    }

    @AfterAll
    static void stop() {
        ldap.close();
        directory.close();
        seafile.close();
    }

    /** A group of class grouprelayExpiringGroup with {@code attributes} (e.g. grouprelayMembershipDays) and these users. */
    static void createGroup(String cn, List<Attribute> attributes, String... users) throws LDAPException {
        List<Attribute> all = new java.util.ArrayList<>(List.of(new Attribute("objectClass", "top", "groupOfNames", "grouprelayExpiringGroup"),
                new Attribute("cn", cn), new Attribute("member", java.util.stream.Stream.concat(
                        java.util.stream.Stream.of("cn=empty-membership-placeholder"), Arrays.stream(users).map(TestDirectory::user)).toList())));
        all.addAll(attributes);
        ldap.add(new Entry(group(cn), all));
    }

    static void modify(String cn, ModificationType type, String attribute, String... values) throws LDAPException {
        ldap.modify(group(cn), new Modification(type, attribute, values));
    }

    static List<String> values(String cn, String attribute) throws LDAPException {
        String[] values = ldap.getEntry(group(cn), attribute).getAttributeValues(attribute);
        return values == null ? List.of() : List.of(values);
    }

    static String at(Instant time, String name) {
        return ExpiryValue.time(time) + " " + user(name);
    }

    static List<String> seafileMembers(String cn) {
        List<java.util.Map<String, Object>> rows = seafile.query(EmbeddedSeafileDb.CCNET, "SELECT group_id FROM `Group` WHERE group_name = ?", cn);
        if (rows.isEmpty()) {
            return List.of();
        }
        return seafile.groupUsers(((Number) rows.get(0).get("group_id")).longValue()).stream()
                .filter(u -> !u.equalsIgnoreCase(TestDirectory.GROUP_CREATOR)).toList();
    }

    @Test
    void aMemberAddedToAGroupWithALifetimeGetsItsEndAndLosesItWhenLeaving() throws Exception {
        Instant created = clock.instant();
        createGroup("interns", List.of(new Attribute("grouprelayMembershipDays", "30")), "alice");
        assertThat(values("interns", EXPIRY)).containsExactly(at(created.plus(Duration.ofDays(30)), "alice"));

        modify("interns", ModificationType.ADD, "member", user("bob"));
        assertThat(values("interns", EXPIRY)).containsExactlyInAnyOrder(at(created.plus(Duration.ofDays(30)), "alice"),
                at(created.plus(Duration.ofDays(30)), "bob"));

        modify("interns", ModificationType.DELETE, "member", user("alice"));
        assertThat(values("interns", EXPIRY)).containsExactly(at(created.plus(Duration.ofDays(30)), "bob"));
        Waits.until(BOUND, () -> seafileMembers("interns").equals(List.of("bob@example.org")));
    }

    @Test
    void anEndWrittenByHandIsKeptAndAWriteOfALaterOneRenewsIt() throws Exception {
        LdapFixtures.createGroup(ldap, "handset", "carol");
        Instant first = clock.instant().plus(Duration.ofDays(90));
        ldap.modify(group("handset"), new Modification(ModificationType.ADD, "objectClass", "grouprelayExpiringGroup"),
                new Modification(ModificationType.ADD, EXPIRY, at(first, "carol")));
        assertThat(values("handset", EXPIRY)).containsExactly(at(first, "carol"));

        Instant later = first.plus(Duration.ofDays(60));
        modify("handset", ModificationType.ADD, EXPIRY, at(later, "carol"));
        assertThat(values("handset", EXPIRY)).containsExactly(at(later, "carol"));
        modify("handset", ModificationType.REPLACE, EXPIRY, at(first, "carol"));
        assertThat(values("handset", EXPIRY)).containsExactly(at(first, "carol"));
    }

    @Test
    void aRenamedUserKeepsTheEndOfItsMembershipAndADeletedOneTakesItAlong() throws Exception {
        LdapFixtures.addPeople(ldap, List.of("kim", "lou"));
        createGroup("renamers", List.of(), "kim", "lou");
        Instant end = clock.instant().plus(Duration.ofDays(50));
        modify("renamers", ModificationType.ADD, EXPIRY, at(end, "kim"), at(end, "lou"));
        ldap.modifyDN(user("kim"), "uid=kimberly", true);
        ldap.delete(user("lou"));
        assertThat(values("renamers", EXPIRY)).containsExactly(at(end, "kimberly"));
        assertThat(values("renamers", "member")).contains(user("kimberly"));
    }

    @Test
    void malformedValuesAndValuesNamingNoMemberAreRefusedWith21() throws Exception {
        createGroup("strict", List.of(), "dave");
        String soon = ExpiryValue.time(clock.instant().plus(Duration.ofDays(3)));
        for (String bad : List.of("tomorrow " + user("dave"), "20271331000000Z " + user("dave"), soon,
                soon + " " + user("erin"), soon + " not a dn")) {
            assertThatThrownBy(() -> modify("strict", ModificationType.ADD, EXPIRY, bad))
                    .isInstanceOfSatisfying(LDAPException.class, e -> {
                        assertThat(e.getResultCode()).as(bad).isEqualTo(ResultCode.INVALID_ATTRIBUTE_SYNTAX);
                        assertThat(e.getDiagnosticMessage()).as(bad).contains(EXPIRY).doesNotContain("\n");
                    });
        }
        assertThatThrownBy(() -> modify("strict", ModificationType.ADD, EXPIRY, soon + " " + user("erin")))
                .hasMessageContaining("is not a member of");
        assertThatThrownBy(() -> modify("strict", ModificationType.REPLACE, EXPIRY, soon + " " + user("dave"),
                ExpiryValue.time(clock.instant().plus(Duration.ofDays(4))) + " " + user("dave")))
                .hasMessageContaining("two values for");
        assertThat(values("strict", EXPIRY)).isEmpty();
    }

    @Test
    void aMembershipEndsAtItsTimeInTheDirectoryAndInSeafileAndARenewedOneStays() throws Exception {
        createGroup("temps", List.of(), "erin", "frank", "gina");
        Instant end = clock.instant().plus(Duration.ofHours(1));
        modify("temps", ModificationType.ADD, EXPIRY, at(end, "erin"), at(end, "frank"));
        Waits.until(BOUND, () -> seafileMembers("temps").size() == 3);
        modify("temps", ModificationType.ADD, EXPIRY, at(end.plus(Duration.ofDays(10)), "frank")); // renewed before the end

        clock.advance(Duration.ofHours(2));
        Waits.until(BOUND, () -> !values("temps", "member").contains(user("erin")));
        assertThat(values("temps", "member")).contains(user("frank"), user("gina"));
        assertThat(values("temps", EXPIRY)).containsExactly(at(end.plus(Duration.ofDays(10)), "frank"));
        Waits.until(BOUND, () -> seafileMembers("temps").equals(List.of("frank@example.org", "gina@example.org")));
        Waits.until(BOUND, () -> Files.readString(directory.auditLog()).lines()
                .anyMatch(l -> l.contains("\"user\":\"" + user("erin") + "\"") && l.contains("\"reason\":\"member-expired\"")
                        && l.contains("\"outcome\":\"applied\"")));
    }

    @Test
    void aMembershipThatEndedWhileServeWasStoppedEndsAtStart() throws Exception {
        createGroup("nightshift", List.of(), "hank", "ivy");
        modify("nightshift", ModificationType.ADD, EXPIRY, at(clock.instant().plus(Duration.ofDays(1)), "hank"));
        Waits.until(BOUND, () -> seafileMembers("nightshift").size() == 2);
        directory.stop();
        clock.advance(Duration.ofDays(2));
        directory.start();
        ldap.close();
        ldap = directory.admin();
        Waits.until(BOUND, () -> values("nightshift", "member").equals(List.of("cn=empty-membership-placeholder", user("ivy"))));
        Waits.until(BOUND, () -> seafileMembers("nightshift").equals(List.of("ivy@example.org")));
    }

    @Test
    void theMemberIsToldOnceBeforeTheEndAndTheAdminsGetADigest() throws Exception {
        createGroup("contractors", List.of(new Attribute("grouprelayNotifyDays", "7")), "jo");
        Instant end = clock.instant().plus(Duration.ofDays(10));
        modify("contractors", ModificationType.ADD, EXPIRY, at(end, "jo"));
        clock.advance(Duration.ofDays(4)); // 6 days left: within the group's 7
        Waits.until(BOUND, () -> toJo().size() == 1);
        MimeMessage notice = toJo().get(0);
        assertThat(notice.getSubject()).contains("contractors");
        assertThat((String) notice.getContent()).contains("contractors").contains("it-desk@example.org").contains("6 day(s)");

        Waits.until(BOUND, () -> digests().stream().anyMatch(m -> body(m).contains("contractors") && body(m).contains(user("jo"))));
        directory.stop();
        directory.start();
        ldap.close();
        ldap = directory.admin();
        clock.advance(Duration.ofHours(1));
        // a later round has run once the next membership that ends is gone
        createGroup("marker", List.of(), "alice");
        modify("marker", ModificationType.ADD, EXPIRY, at(clock.instant().plus(Duration.ofMinutes(1)), "alice"));
        clock.advance(Duration.ofMinutes(2));
        Waits.until(BOUND, () -> !values("marker", "member").contains(user("alice")));
        assertThat(toJo()).hasSize(1);
    }

    static List<MimeMessage> toJo() throws Exception {
        return Arrays.stream(SMTP.getReceivedMessages()).filter(m -> recipients(m).contains("jo@example.org")).toList();
    }

    static List<MimeMessage> digests() {
        return Arrays.stream(SMTP.getReceivedMessages()).filter(m -> recipients(m).contains("ops@example.org")).toList();
    }

    static String recipients(MimeMessage message) {
        try {
            return Arrays.toString(message.getAllRecipients()).toLowerCase(java.util.Locale.ROOT);
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String body(MimeMessage message) {
        try {
            return String.valueOf(message.getContent());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theKeycloakAccountReadsAndWritesTheNewAttributesOnGroupsButNotOnPeople() throws Exception {
        createGroup("kc-team", List.of(), "alice");
        try (LDAPConnection keycloak = directory.keycloak()) {
            Instant end = clock.instant().plus(Duration.ofDays(5));
            keycloak.modify(group("kc-team"), new Modification(ModificationType.ADD, "grouprelayMembershipDays", "14"),
                    new Modification(ModificationType.ADD, EXPIRY, at(end, "alice")));
            assertThat(keycloak.getEntry(group("kc-team"), EXPIRY, "grouprelayMembershipDays").getAttributeValue("grouprelayMembershipDays"))
                    .isEqualTo("14");
            assertThat(keycloak.getEntry(group("kc-team"), EXPIRY).getAttributeValues(EXPIRY)).containsExactly(at(end, "alice"));
            assertThatThrownBy(() -> keycloak.modify(user("bob"), new Modification(ModificationType.ADD, "objectClass", "grouprelayExpiringGroup"),
                    new Modification(ModificationType.ADD, "grouprelayNotifyDays", "3")))
                    .isInstanceOfSatisfying(LDAPException.class, e -> assertThat(e.getResultCode()).isEqualTo(ResultCode.INSUFFICIENT_ACCESS_RIGHTS));
        }
    }
}
