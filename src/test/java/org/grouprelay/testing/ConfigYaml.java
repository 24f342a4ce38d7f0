package org.grouprelay.testing;

import org.grouprelay.config.RelayMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.grouprelay.config.SeafileConfig;
import org.grouprelay.demo.EmbeddedSeafileDb;

/**
 * A grouprelay.yaml as the jar reads it in its own process ({@code serve}, {@code check}, {@code status},
 * {@code keycloak-setup}), built from named options: the {@code directory} section, then the {@code seafile}
 * section if one was asked for, then further top-level sections ({@code check}, {@code ops}, {@code keycloak})
 * as given. Secrets come from the environment where an option says so: {@link #environment} lists the
 * variables the file refers to.
 */
public final class ConfigYaml {
    public static final String ADMIN_PASSWORD_VARIABLE = "GROUPRELAY_ADMIN_PASSWORD";
    public static final String KEYCLOAK_PASSWORD_VARIABLE = "GROUPRELAY_KEYCLOAK_PASSWORD";
    public static final String SEAFILE_DB_PASSWORD_VARIABLE = "SEAFILE_DB_PASSWORD";
    public static final String SEAFILE_TOKEN_VARIABLE = "SEAFILE_ADMIN_TOKEN";

    private final Path dataDir;
    private final Path bootstrapLdif;
    private final int ldapPort;
    private Optional<Integer> ldapsPort = Optional.empty();
    private Optional<Boolean> requireTls = Optional.empty();
    private Optional<TestSeafile> sql = Optional.empty();
    private Optional<String> sqlPassword = Optional.empty();
    private Optional<FakeSeafile> api = Optional.empty();
    private Optional<RelayMode> mode = Optional.empty();
    private String groupCreator = TestDirectory.GROUP_CREATOR;
    private Optional<Duration> deadline = Optional.empty();
    private Optional<Path> auditLog = Optional.empty();
    private final List<String> sections = new ArrayList<>();

    private ConfigYaml(Path dataDir, Path bootstrapLdif, int ldapPort) {
        this.dataDir = dataDir;
        this.bootstrapLdif = bootstrapLdif;
        this.ldapPort = ldapPort;
    }

    /** For the running {@code directory}: its data directory, bootstrap LDIF, LDAP port and audit log. */
    public static ConfigYaml of(TestDirectory directory) {
        return new ConfigYaml(directory.config().dataDir(), directory.config().bootstrapLdif(), directory.ldapPort())
                .auditLog(directory.auditLog());
    }

    /**
     * For a jar with a data directory of its own ({@code dataDir} as written: absolute, or relative to the jar's
     * working directory) and the shipped bootstrap LDIF, listening on {@code ldapPort}.
     */
    public static ConfigYaml of(Path dataDir, int ldapPort) {
        return new ConfigYaml(dataDir, TestDirectory.projectFile("ldif/bootstrap.ldif").toAbsolutePath(), ldapPort);
    }

    /** As {@link #of(Path, int)}, loading {@code bootstrapLdif} on the first start instead of the shipped one. */
    public static ConfigYaml of(Path dataDir, Path bootstrapLdif, int ldapPort) {
        return new ConfigYaml(dataDir, bootstrapLdif.toAbsolutePath(), ldapPort);
    }

    /** What the reliability tests run the jar with: data in {@code work/data}, relay mode, a 1 s deadline, the password from the environment. */
    public static ConfigYaml forJar(Path work, int ldapPort, TestSeafile seafile, String groupCreator) {
        return of(work.resolve("data").toAbsolutePath(), ldapPort).seafileSql(seafile).seafilePasswordFromEnvironment()
                .mode(RelayMode.RELAY).groupCreator(groupCreator).deadline(Duration.ofSeconds(1));
    }

    /** LDAPS on {@code port} besides plain LDAP. */
    public ConfigYaml ldaps(int port) {
        ldapsPort = Optional.of(port);
        return this;
    }

    /** Writes {@code requireTls} (unwritten, grouprelay's default applies: false). */
    public ConfigYaml requireTls(boolean require) {
        requireTls = Optional.of(require);
        return this;
    }

    /** A SQL target on {@code seafile}'s three databases as {@link EmbeddedSeafileDb#USER}, the password written in. */
    public ConfigYaml seafileSql(TestSeafile seafile) {
        sql = Optional.of(seafile);
        sqlPassword = Optional.of(seafile.db().password());
        api = Optional.empty();
        return this;
    }

    /** The SQL target's password as {@code ${SEAFILE_DB_PASSWORD}}, set by {@link #environment}. */
    public ConfigYaml seafilePasswordFromEnvironment() {
        sqlPassword = Optional.of("${" + SEAFILE_DB_PASSWORD_VARIABLE + "}");
        return this;
    }

    /** The admin API target on {@code seafile} (the fake), token {@code ${SEAFILE_ADMIN_TOKEN}}, 5 s timeout, 50 requests/s. */
    public ConfigYaml seafileApi(FakeSeafile seafile) {
        api = Optional.of(seafile);
        sql = Optional.empty();
        return this;
    }

    /** Writes {@code seafile.mode} (unwritten, the default applies: relay). */
    public ConfigYaml mode(RelayMode value) {
        mode = Optional.of(value);
        return this;
    }

    /** {@code seafile.groupCreator}; {@link TestDirectory#GROUP_CREATOR} unless set. */
    public ConfigYaml groupCreator(String id) {
        groupCreator = id;
        return this;
    }

    /** {@code seafile.deadlineMillis} (unwritten, the default applies: 2 s). */
    public ConfigYaml deadline(Duration value) {
        deadline = Optional.of(value);
        return this;
    }

    /** {@code seafile.auditLog} (unwritten, the default applies: dataDir/audit.jsonl). */
    public ConfigYaml auditLog(Path file) {
        auditLog = Optional.of(file);
        return this;
    }

    /** A further top-level section, appended as it is ({@code "check:\n  schedule: ...\n"}). */
    public ConfigYaml section(String yaml) {
        sections.add(yaml.endsWith("\n") ? yaml : yaml + "\n");
        return this;
    }

    /**
     * The variables the file refers to: the admin and Keycloak service account passwords, and the Seafile
     * database password or admin token where they come from the environment.
     */
    public Map<String, String> environment(String adminPassword, String keycloakPassword) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(ADMIN_PASSWORD_VARIABLE, adminPassword);
        env.put(KEYCLOAK_PASSWORD_VARIABLE, keycloakPassword);
        if (sql.isPresent() && sqlPassword.orElseThrow().startsWith("${")) {
            env.put(SEAFILE_DB_PASSWORD_VARIABLE, sql.get().db().password());
        }
        if (api.isPresent()) {
            env.put(SEAFILE_TOKEN_VARIABLE, FakeSeafile.TOKEN);
        }
        return Map.copyOf(env);
    }

    public String build() {
        StringBuilder yaml = new StringBuilder()
                .append("directory:\n")
                .append("  suffix: ").append(TestDirectory.SUFFIX).append('\n')
                .append("  dataDir: ").append(quote(dataDir)).append('\n')
                .append("  bootstrapLdif: ").append(quote(bootstrapLdif)).append('\n')
                .append("  adminPassword: ${").append(ADMIN_PASSWORD_VARIABLE).append("}\n")
                .append("  ldap: { host: 127.0.0.1, port: ").append(ldapPort).append(" }\n");
        ldapsPort.ifPresent(port -> yaml.append("  ldaps: { host: 127.0.0.1, port: ").append(port).append(" }\n"));
        requireTls.ifPresent(require -> yaml.append("  requireTls: ").append(require).append('\n'));
        yaml.append("  peopleDn: ").append(TestDirectory.PEOPLE).append('\n')
                .append("  groupsDn: ").append(TestDirectory.GROUPS).append('\n');
        if (sql.isPresent() || api.isPresent()) {
            yaml.append(seafile());
        }
        sections.forEach(yaml::append);
        return yaml.toString();
    }

    /** Writes {@link #build()} to {@code file} and returns it. */
    public Path writeTo(Path file) throws IOException {
        return Files.writeString(file, build());
    }

    @Override
    public String toString() {
        return build();
    }

    private String seafile() {
        StringBuilder yaml = new StringBuilder("seafile:\n");
        yaml.append("  target: ").append(sql.isPresent() ? "sql" : "api").append('\n');
        mode.ifPresent(m -> yaml.append("  mode: ").append(m.name().toLowerCase(Locale.ROOT)).append('\n'));
        sql.ifPresent(seafile -> {
            EmbeddedSeafileDb db = seafile.db();
            yaml.append("  sql:\n")
                    .append("    ccnetUrl: ").append(db.jdbcUrl(EmbeddedSeafileDb.CCNET)).append('\n')
                    .append("    seahubUrl: ").append(db.jdbcUrl(EmbeddedSeafileDb.SEAHUB)).append('\n')
                    .append("    seafileUrl: ").append(db.jdbcUrl(EmbeddedSeafileDb.SEAFILE)).append('\n')
                    .append("    user: ").append(EmbeddedSeafileDb.USER).append('\n')
                    .append("    password: ").append(sqlPassword.orElseThrow()).append('\n');
        });
        api.ifPresent(seafile -> yaml.append("  api:\n")
                .append("    url: ").append(seafile.url()).append('\n')
                .append("    token: ${").append(SEAFILE_TOKEN_VARIABLE).append("}\n")
                .append("    timeoutSeconds: 5\n")
                .append("    maxRequestsPerSecond: 50\n"));
        yaml.append("  users: [ { strategy: email } ]\n")
                .append("  groupCreator: ").append(groupCreator).append('\n');
        deadline.ifPresent(d -> yaml.append("  deadlineMillis: ").append(d.toMillis()).append('\n'));
        auditLog.ifPresent(file -> yaml.append("  auditLog: ").append(quote(file)).append('\n'));
        return yaml.toString();
    }

    /** A YAML single-quoted scalar: nothing in a path is special in it but the quote itself. */
    static String quote(Path path) {
        return "'" + path.toString().replace("'", "''") + "'";
    }
}
