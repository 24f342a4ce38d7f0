package org.grouprelay.cli;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import org.grouprelay.config.Config;
import org.grouprelay.config.ConfigException;
import org.grouprelay.config.ConfigLoader;
import org.grouprelay.config.Environment;
import org.grouprelay.config.KeycloakConfig;
import org.grouprelay.keycloak.KeycloakException;
import org.grouprelay.keycloak.KeycloakHttp;
import org.grouprelay.keycloak.KeycloakSetup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code grouprelay keycloak-setup}: configures the {@code keycloak} section's realm through Keycloak's admin
 * REST API as a master-realm administrator: admin events on, the LDAP provider and group mapper of
 * {@code conf/keycloak/}, and the read-only client the admin-events follower logs in with.
 */
@Command(name = "keycloak-setup", mixinStandardHelpOptions = true,
        description = {"Configure Keycloak for grouprelay through its admin REST API (idempotent: a second run updates):",
            "the realm of the keycloak section (created if missing) with admin events and representations on,",
            "the LDAP provider 'grouprelay' (WRITABLE, bound as the directory's Keycloak service account),",
            "its group mapper 'groups' (LDAP_ONLY, groupOfNames), and the confidential client keycloak.clientId",
            "with the secret keycloak.clientSecret and the roles view-events, view-realm, query-groups, view-users."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:configured", "2:configuration error, or Keycloak refused or could not be reached (the message says which)"})
public final class KeycloakSetupCommand implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "FILE", defaultValue = "conf/grouprelay.yaml", description = "Configuration file (default: ${DEFAULT-VALUE}).")
    Path configFile;

    @Option(names = "--admin-user", paramLabel = "NAME", defaultValue = "admin",
            description = "Administrator of Keycloak's master realm (default: ${DEFAULT-VALUE}).")
    String adminUser;

    @Option(names = "--admin-password-env", paramLabel = "VAR", defaultValue = "KEYCLOAK_ADMIN_PASSWORD",
            description = "Environment variable holding that administrator's password (default: ${DEFAULT-VALUE}).")
    String adminPasswordEnv;

    @Option(names = "--bind-password-env", paramLabel = "VAR", defaultValue = "GROUPRELAY_KEYCLOAK_PASSWORD",
            description = "Environment variable holding the directory password of uid=keycloak,ou=services,<suffix>,"
                    + " which Keycloak binds with (default: ${DEFAULT-VALUE}, as in the bootstrap LDIF).")
    String bindPasswordEnv;

    @Option(names = "--ldap-url", paramLabel = "URL",
            description = "How Keycloak reaches this directory (default: ldap://<directory.ldap.host>:<port>).")
    String ldapUrl;

    @Spec
    CommandSpec spec;

    private final Environment env;

    public KeycloakSetupCommand(Environment env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        Config config = new ConfigLoader(env).load(configFile);
        KeycloakConfig keycloak = config.keycloak().orElseThrow(() -> new ConfigException(configFile
                + ": keycloak: missing; keycloak-setup configures the realm of the keycloak section (url, realm, clientId, clientSecret)"));
        String adminPassword = variable(adminPasswordEnv, "the password of Keycloak's master-realm administrator " + adminUser);
        String bindPassword = variable(bindPasswordEnv, "the directory password of the Keycloak service account");
        String host = config.directory().ldap().host();
        if (ldapUrl == null && (host.equals("0.0.0.0") || host.equals("::"))) {
            throw new ConfigException("directory.ldap.host is " + host + ", which Keycloak cannot connect to; pass --ldap-url ldap://<this host>:"
                    + config.directory().ldap().port());
        }
        String url = ldapUrl != null ? ldapUrl : "ldap://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + config.directory().ldap().port();
        KeycloakSetup.Settings settings = new KeycloakSetup.Settings(keycloak.realm(), url, "uid=keycloak,ou=services," + config.directory().suffix(),
                bindPassword, config.directory().peopleDn(), config.directory().groupsDn(), keycloak.clientId(), keycloak.clientSecret().reveal());
        KeycloakHttp http = new KeycloakHttp(keycloak.url(), KeycloakHttp.TokenGrant.masterAdmin(adminUser, adminPassword), Clock.systemUTC());
        KeycloakSetup.Report report;
        try {
            report = new KeycloakSetup(http).run(settings);
        } catch (KeycloakException e) {
            throw new OperatorException("keycloak-setup: " + e.getMessage(), e);
        }
        report.steps().forEach(spec.commandLine().getOut()::println);
        spec.commandLine().getOut().println("Keycloak " + keycloak.url() + " realm " + keycloak.realm() + " federates to " + url
                + "; serve follows its admin events with client " + keycloak.clientId());
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }

    private String variable(String name, String what) {
        return env.get(name).filter(v -> !v.isBlank()).orElseThrow(() -> new ConfigException(
                "environment variable " + name + " is not set; export it with " + what));
    }
}
