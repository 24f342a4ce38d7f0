package org.grouprelay.upgrade;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.ModificationType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.grouprelay.demo.EmbeddedSeafileDb;
import org.grouprelay.testing.ConfigYaml;
import org.grouprelay.testing.JarProcess;
import org.grouprelay.testing.LdapFixtures;
import org.grouprelay.testing.ServedJar;
import org.grouprelay.testing.TestDirectory;
import org.grouprelay.testing.TestSeafile;
import org.grouprelay.testing.Waits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes this release's {@code dataDir} fixture (see {@link DataDirFixture}); runs only when asked, once per release:
 * <pre>
 * mvn -B verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=WriteDataDirFixtureIT -Ddatadir.fixture.write=0.1.0
 * </pre>
 * {@code serve} from the jar, on the bootstrap and demo LDIF, relays a few changes into a real MariaDB (dave has no
 * Seafile account, so his membership stays pending, as in the demo) and is stopped with SIGTERM.
 */
@EnabledIfSystemProperty(named = "datadir.fixture.write", matches = "[0-9][0-9A-Za-z.-]*")
class WriteDataDirFixtureIT {
    static final String ADMIN_PASSWORD = "fixture-admin-password";
    static final String KEYCLOAK_PASSWORD = "fixture-keycloak-password";
    static final String CREATOR = "admin@example.org";

    @TempDir
    Path work;

    @Test
    void writesTheDataDirOfThisRelease() throws Exception {
        String release = System.getProperty("datadir.fixture.write");
        Path target = DataDirFixture.ALL.resolve(release);
        assertThat(target).as("a release's fixture is written once and never replaced").doesNotExist();
        Path ldif = Files.writeString(work.resolve("bootstrap-and-demo.ldif"), Files.readString(TestDirectory.projectFile("ldif/bootstrap.ldif"))
                + "\n" + Files.readString(TestDirectory.projectFile("ldif/demo.ldif")));
        try (TestSeafile seafile = TestSeafile.start(); ServedJar jar = new ServedJar(work, ADMIN_PASSWORD, "listening on", Duration.ofSeconds(90))) {
            List.of("alice", "bob", "carol", "admin").forEach(name -> seafile.db().seedUser(name + "@example.org", true));
            jar.configure(ConfigYaml.of(Path.of("data"), ldif, jar.ldapPort()).seafileSql(seafile).seafilePasswordFromEnvironment()
                    .groupCreator(CREATOR), KEYCLOAK_PASSWORD);
            JarProcess serve = jar.serve();
            try (LDAPConnection ldap = jar.admin()) {
                LdapFixtures.modify(ldap, "marketing", ModificationType.ADD, "bob");
                LdapFixtures.modify(ldap, "engineering", ModificationType.DELETE, "bob");
                LdapFixtures.createGroup(ldap, "ops", "carol", "dave");
            }
            Map<String, Set<String>> relayed = Map.of("engineering", Set.of("alice"), "marketing", Set.of("bob", "carol"), "ops", Set.of("carol"));
            Waits.until(Duration.ofSeconds(30), () -> members(seafile).equals(relayed));
            assertThat(serve.terminate()).as(serve.output()).isIn(0, 143);
            assertThat(jar.backlog().depth()).isZero();

            Files.createDirectories(target);
            DataDirFixture.tar("-czf", target.resolve(DataDirFixture.ARCHIVE).toString(), "-C", work.toString(), "data");
            Files.writeString(target.resolve(DataDirFixture.SEAFILE_ROWS), rows(seafile), StandardCharsets.UTF_8);
            Files.writeString(target.resolve(DataDirFixture.PROPERTIES), """
                    # The dataDir that grouprelay %s wrote (WriteDataDirFixtureIT, %s): bootstrap and demo LDIF, then
                    # bob moved from engineering to marketing and ops created with carol and dave (no Seafile account: pending).
                    release=%s
                    keycloakPassword=%s
                    user=alice
                    userPassword=alice-password
                    group.engineering=alice
                    group.marketing=bob,carol
                    group.ops=carol,dave
                    pending.ops=dave
                    """.formatted(release, LocalDate.now(ZoneOffset.UTC), release, KEYCLOAK_PASSWORD), StandardCharsets.UTF_8);
        }
        System.out.printf("WriteDataDirFixtureIT: %s written, %s is %d bytes%n", target, DataDirFixture.ARCHIVE,
                Files.size(target.resolve(DataDirFixture.ARCHIVE)));
    }

    /** Seafile group name → its members' uids, without the creator's row. */
    static Map<String, Set<String>> members(TestSeafile seafile) {
        return seafile.query(EmbeddedSeafileDb.CCNET, "SELECT g.group_name, u.user_name FROM `Group` g JOIN GroupUser u USING (group_id)")
                .stream().filter(row -> !row.get("user_name").equals(CREATOR))
                .collect(Collectors.groupingBy(row -> (String) row.get("group_name"),
                        Collectors.mapping(row -> ((String) row.get("user_name")).replace("@example.org", ""), Collectors.toCollection(TreeSet::new))));
    }

    /** The fixture's rows of ccnet_db as INSERT statements, one a line. */
    static String rows(TestSeafile seafile) {
        StringBuilder sql = new StringBuilder("-- rows grouprelay wrote into Seafile's ccnet_db while it wrote data.tar.gz\n");
        for (String table : DataDirFixture.TABLES) {
            for (Map<String, Object> row : seafile.query(EmbeddedSeafileDb.CCNET, "SELECT * FROM " + table)) {
                sql.append("INSERT INTO ").append(table).append(" (").append(String.join(", ", row.keySet())).append(") VALUES (")
                        .append(row.values().stream().map(WriteDataDirFixtureIT::literal).collect(Collectors.joining(", "))).append(");\n");
            }
        }
        return sql.toString();
    }

    static String literal(Object value) {
        if (value == null) {
            return "NULL";
        }
        if (value instanceof Number || value instanceof Boolean) {
            return value instanceof Boolean b ? (b ? "1" : "0") : value.toString();
        }
        return "'" + value.toString().replace("\\", "\\\\").replace("'", "''") + "'";
    }
}
