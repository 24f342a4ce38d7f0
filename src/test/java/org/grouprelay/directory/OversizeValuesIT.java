package org.grouprelay.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.grouprelay.testing.TestDirectory.PEOPLE;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchScope;
import java.util.ArrayList;
import java.util.List;
import org.grouprelay.testing.TestDirectory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Values too long for the JDBM partition (over 65,535 bytes) are refused before the partition is touched, so the
 * directory stays whole after any number of them. When the partition itself failed them (in JDBM's commit), the
 * rollback left ApacheDS's B-trees as the refused write had changed them in memory: the very next write failed with
 * {@code ERR_554 double get for block 0}, and so did every write after it until a restart.
 */
class OversizeValuesIT {
    static final int ROUNDS = 40;
    static final String BIG = "x".repeat(70_000);
    static TestDirectory directory;

    @BeforeAll
    static void start() throws Exception {
        directory = TestDirectory.create("").startDirectoryOnly();
    }

    @AfterAll
    static void stop() {
        if (directory != null) {
            directory.close();
        }
    }

    @Test
    void refusedOversizeWritesLeaveTheDirectoryWhole() throws Exception {
        List<String> kept = new ArrayList<>();
        try (LDAPConnection ldap = directory.admin()) {
            ldap.getConnectionOptions().setResponseTimeoutMillis(30_000); // a broken partition answered nothing
            for (int i = 0; i < ROUNDS; i++) {
                String uid = "kept" + i;
                ldap.add(person(uid, "kept " + i));
                kept.add(uid);
                String tooBig = "big" + i;
                assertRefused(() -> ldap.add(person(tooBig, BIG)), "add of " + tooBig);
                assertRefused(() -> ldap.modify(dn(uid), new Modification(ModificationType.ADD, "description", BIG)), "modify of " + uid);
                assertRefused(() -> ldap.modify(dn(uid), new Modification(ModificationType.REPLACE, "cn", BIG)), "replace in " + uid);
                assertRefused(() -> ldap.modifyDN(dn(uid), "uid=" + BIG, true), "rename of " + uid);
                String half = "y".repeat(40_000); // each value fits, the RDN they make together does not
                assertRefused(() -> ldap.add(new Entry("cn=" + half + "+sn=" + half + "," + PEOPLE, List.of(
                        new Attribute("objectClass", "inetOrgPerson"), new Attribute("cn", half), new Attribute("sn", half)))),
                        "add with a long multi-valued RDN");
                ldap.modify(dn(uid), new Modification(ModificationType.REPLACE, "description", "kept " + i + ", changed"));
            }
        }
        directory.stop();
        directory.startDirectoryOnly();
        try (LDAPConnection ldap = directory.admin()) {
            List<String> people = ldap.search(PEOPLE, SearchScope.ONE, "(objectClass=*)", "uid").getSearchEntries().stream()
                    .map(e -> e.getAttributeValue("uid")).toList();
            assertThat(people).as("people after a restart").containsExactlyInAnyOrderElementsOf(kept);
            for (int i = 0; i < ROUNDS; i++) {
                Entry entry = ldap.getEntry(dn("kept" + i), "description", "cn");
                assertThat(entry.getAttributeValues("description")).containsExactly("kept " + i + ", changed");
                assertThat(entry.getAttributeValues("cn")).containsExactly("kept" + i);
                ldap.delete(dn("kept" + i));
            }
            assertThat(ldap.search(PEOPLE, SearchScope.ONE, "(objectClass=*)").getEntryCount()).isZero();
        }
    }

    private static void assertRefused(Write write, String what) {
        assertThatThrownBy(write::run).as(what).isInstanceOfSatisfying(LDAPException.class, e -> {
            assertThat(e.getResultCode()).as(what).isEqualTo(ResultCode.ADMIN_LIMIT_EXCEEDED);
            assertThat(e.getDiagnosticMessage()).as(what).contains("longer than the directory can store");
        });
    }

    @FunctionalInterface
    interface Write {
        void run() throws LDAPException;
    }

    private static String dn(String uid) {
        return "uid=" + uid + "," + PEOPLE;
    }

    private static Entry person(String uid, String description) {
        return new Entry(dn(uid), List.of(new Attribute("objectClass", "inetOrgPerson"), new Attribute("uid", uid),
                new Attribute("cn", uid), new Attribute("sn", uid), new Attribute("description", description)));
    }
}
