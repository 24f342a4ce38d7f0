package org.grouprelay.testing;

import java.util.ArrayList;
import java.util.List;
import org.grouprelay.config.CheckConfig;
import org.grouprelay.config.OpsConfig;
import org.grouprelay.config.TargetConfig;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.grouprelay.membership.MembershipRules;
import org.grouprelay.config.SeafileConfig;
import org.grouprelay.GroupRelay;
import org.grouprelay.config.Config;
import org.grouprelay.config.DirectoryConfig;
import org.grouprelay.config.Endpoint;
import org.grouprelay.config.Environment;
import org.grouprelay.config.Secret;

/** A grouprelay directory on free loopback ports, with the shipped bootstrap LDIF, for one test class. */
public final class TestDirectory implements AutoCloseable {
    public static final String SUFFIX = "dc=example,dc=org";
    public static final String PEOPLE = "ou=people," + SUFFIX;
    public static final String GROUPS = "ou=groups," + SUFFIX;
    public static final String ADMIN_DN = "uid=admin,ou=system";
    public static final String ADMIN_PASSWORD = "admin-test-password";
    public static final String KEYCLOAK_DN = "uid=keycloak,ou=services," + SUFFIX;
    public static final String KEYCLOAK_PASSWORD = "keycloak-test-password";

    private final Path home;
    private DirectoryConfig config;
    private Optional<SeafileConfig> seafile = Optional.empty();
    private Optional<org.grouprelay.config.KeycloakConfig> keycloak = Optional.empty();
    private GroupRelay relay;
    private final List<TargetConfig> targets = new ArrayList<>();
    private Clock clock = Clock.systemUTC();
    private org.grouprelay.config.ExpiryConfig expiry = org.grouprelay.config.ExpiryConfig.defaults();
    private CheckConfig check = CheckConfig.defaults();

    private TestDirectory(Path home, DirectoryConfig config) {
        this.home = home;
        this.config = config;
    }

    /** Relays to {@code seafile}'s databases as {@code how} says. */
    public TestDirectory relayingTo(TestSeafile seafile, Relaying how) {
        this.seafile = Optional.of(new SeafileConfig(SeafileConfig.TargetKind.SQL, how.mode(), how.nested(), how.adopt(),
                Optional.of(seafile.sqlConfig()), Optional.empty(), how.users(), GROUP_CREATOR, MembershipRules.KEYCLOAK_PLACEHOLDER,
                auditLog(), how.deadline()));
        return this;
    }

    /** Relays as {@code seafile} says. */
    public TestDirectory relayingTo(SeafileConfig seafile) {
        this.seafile = Optional.of(seafile);
        return this;
    }

    /** Relays through the admin API of {@code seafile} (a fake Seafile) with a static token, as {@code how} says. */
    public TestDirectory relayingToApi(FakeSeafile seafile, Relaying how) {
        SeafileConfig.Api api = new SeafileConfig.Api(seafile.url(), Optional.of(new Secret(FakeSeafile.TOKEN)), Optional.empty(),
                Optional.empty(), Duration.ofSeconds(5), 200, Optional.empty());
        this.seafile = Optional.of(new SeafileConfig(SeafileConfig.TargetKind.API, how.mode(), how.nested(), how.adopt(),
                Optional.empty(), Optional.of(api), how.users(), GROUP_CREATOR, MembershipRules.KEYCLOAK_PLACEHOLDER, auditLog(),
                how.deadline()));
        return this;
    }

    public static final String GROUP_CREATOR = "Admin@Example.org";

    /** Relays to {@code target} too (after the Seafile target, if there is one). */
    public TestDirectory alsoRelayingTo(TargetConfig target) {
        this.targets.add(target);
        return this;
    }

    /** Follows {@code keycloak}'s admin events (the {@code keycloak} section). */
    public TestDirectory following(org.grouprelay.config.KeycloakConfig keycloak) {
        this.keycloak = Optional.of(keycloak);
        return this;
    }

    /** With {@code access} as the {@code directory.access} section (before {@link #start()}). */
    public TestDirectory withAccess(org.grouprelay.config.AccessConfig access) {
        DirectoryConfig c = config;
        this.config = new DirectoryConfig(c.suffix(), c.dataDir(), c.bootstrapLdif(), c.adminPassword(), c.ldap(), c.ldaps(), c.tls(),
                c.requireTls(), c.peopleDn(), c.groupsDn(), access, c.entryCacheSize());
        return this;
    }

    /** Runs on {@code clock} (a {@link TestClock} moves days in a moment). */
    public TestDirectory withClock(Clock clock) {
        this.clock = clock;
        return this;
    }

    /** With {@code expiry} as the {@code expiry} section. */
    public TestDirectory withExpiry(org.grouprelay.config.ExpiryConfig expiry) {
        this.expiry = expiry;
        return this;
    }

    /** With {@code check} as the {@code check} section (its report e-mail also carries expiry notices). */
    public TestDirectory withCheck(CheckConfig check) {
        this.check = check;
        return this;
    }

    public Path auditLog() {
        return home.resolve("audit.jsonl");
    }

    /** A directory with LDAP and LDAPS on free ports; {@code extraLdif} is appended to the bootstrap LDIF. */
    public static TestDirectory create(String extraLdif) throws IOException {
        return create(extraLdif, Path.of(System.getProperty("java.io.tmpdir")));
    }

    /** As {@link #create(String)}, with its files in a new directory under {@code parent}. */
    public static TestDirectory create(String extraLdif, Path parent) throws IOException {
        Path home = Files.createTempDirectory(parent, "grouprelay-it-");
        Path ldif = home.resolve("bootstrap.ldif");
        Files.writeString(ldif, Files.readString(projectFile("ldif/bootstrap.ldif")) + "\n" + extraLdif);
        DirectoryConfig config = new DirectoryConfig(SUFFIX, home.resolve("data"), ldif, new Secret(ADMIN_PASSWORD),
                new Endpoint("127.0.0.1", freePort()), Optional.of(new Endpoint("127.0.0.1", freePort())),
                Optional.empty(), false, PEOPLE, GROUPS, org.grouprelay.config.AccessConfig.shipped(SUFFIX, PEOPLE, GROUPS),
                DirectoryConfig.DEFAULT_ENTRY_CACHE);
        return new TestDirectory(home, config);
    }

    /** The DN of the user {@code uid} under {@link #PEOPLE}. */
    public static String user(String uid) {
        return "uid=" + uid + "," + PEOPLE;
    }

    /** The DN of the group {@code cn} under {@link #GROUPS}. */
    public static String group(String cn) {
        return "cn=" + cn + "," + GROUPS;
    }

    public static Path projectFile(String relative) {
        return Path.of(System.getProperty("grouprelay.home", ".")).resolve(relative);
    }

    public static Environment environment() {
        return new Environment(Map.of("GROUPRELAY_KEYCLOAK_PASSWORD", KEYCLOAK_PASSWORD));
    }

    public TestDirectory start() throws Exception {
        relay = GroupRelay.start(fullConfig(), environment(), clock);
        return this;
    }

    /** Starts on the same data without the relay: changes made now bypass Seafile. */
    public TestDirectory startDirectoryOnly() throws Exception {
        relay = GroupRelay.start(new Config(config).withExpiry(expiry).withCheck(check), environment(), clock);
        return this;
    }

    public Config fullConfig() {
        List<TargetConfig> all = new ArrayList<>();
        seafile.ifPresent(s -> all.add(new TargetConfig(TargetConfig.SEAFILE, s)));
        all.addAll(targets);
        Config full = new Config(config, all, check, OpsConfig.defaults(), Optional.empty(), expiry);
        return keycloak.map(full::withKeycloak).orElse(full);
    }

    public void stop() {
        if (relay != null) {
            relay.close();
            relay = null;
        }
    }

    public GroupRelay relay() {
        return relay;
    }

    public DirectoryConfig config() {
        return config;
    }

    public Path home() {
        return home;
    }

    public int ldapPort() {
        return config.ldap().port();
    }

    public int ldapsPort() {
        return config.ldaps().orElseThrow().port();
    }

    public LDAPConnection admin() throws LDAPException {
        return new LDAPConnection("127.0.0.1", ldapPort(), ADMIN_DN, ADMIN_PASSWORD);
    }

    public LDAPConnection keycloak() throws LDAPException {
        return new LDAPConnection("127.0.0.1", ldapPort(), KEYCLOAK_DN, KEYCLOAK_PASSWORD);
    }

    /** The values of {@code attribute} of the group {@code cn} under {@link #GROUPS}; none when the group or the attribute is missing. */
    public List<String> groupValues(String cn, String attribute) throws LDAPException {
        try (LDAPConnection ldap = admin()) {
            com.unboundid.ldap.sdk.SearchResultEntry entry = ldap.getEntry("cn=" + cn + "," + GROUPS, attribute);
            return entry == null || !entry.hasAttribute(attribute) ? List.of() : List.of(entry.getAttributeValues(attribute));
        }
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        stop();
        TempFiles.deleteRecursively(home);
    }
}
