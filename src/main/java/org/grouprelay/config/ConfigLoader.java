package org.grouprelay.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Optional;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * Reads {@code grouprelay.yaml} into {@link Config}, validating every key before anything starts.
 * Relative paths are taken from the working directory, as the shipped example expects.
 */
public final class ConfigLoader {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ConfigLoader.class);
    private final Environment env;

    public ConfigLoader(Environment env) {
        this.env = env;
    }

    public Config load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": configuration file does not exist; pass --config FILE or use --demo");
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read configuration file (" + e.getMessage() + ")");
        }
        java.util.Set<String> literalSecrets = new java.util.TreeSet<>();
        Config config = parse(text, file.toString(), literalSecrets);
        warnIfSecretsAreReadable(file, literalSecrets);
        return config;
    }

    /**
     * A file that holds passwords in clear should be readable by its owner only. Not an error (the
     * operator may have reasons), but said once at start with the fix.
     */
    private static void warnIfSecretsAreReadable(Path file, java.util.Set<String> literalSecrets) {
        if (literalSecrets.isEmpty()) {
            return;
        }
        try {
            java.util.Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            boolean shared = permissions.stream().anyMatch(p -> p == PosixFilePermission.GROUP_READ || p == PosixFilePermission.OTHERS_READ);
            if (shared) {
                log.warn("{} is readable by {} and holds secrets in clear ({}); run chmod 600 {}, or reference environment variables instead",
                        file, permissions.contains(PosixFilePermission.OTHERS_READ) ? "every user" : "its group",
                        String.join(", ", literalSecrets), file);
            }
        } catch (UnsupportedOperationException | IOException e) {
            // no POSIX permissions here (e.g. Windows): nothing to say
        }
    }

    /**
     * An unquoted {@code ${NAME}} standing as a whole value, e.g. {@code { password: ${SMTP_PASSWORD} }}.
     * YAML would read its braces as a flow mapping; quoting it first keeps the documented form working.
     */
    private static final java.util.regex.Pattern BARE_PLACEHOLDER = java.util.regex.Pattern.compile(
            "(?<=[:\\-\\[,]\\s{1,20})(\\$\\{[A-Za-z_][A-Za-z0-9_]*})(?=\\s*(?:[,}\\]]|#|$))", java.util.regex.Pattern.MULTILINE);

    /** Parses configuration text; {@code source} names it in error messages. */
    public Config parse(String yaml, String source) {
        return parse(yaml, source, new java.util.TreeSet<>());
    }

    private Config parse(String yaml, String source, java.util.Set<String> literalSecrets) {
        Object document;
        try {
            document = new Load(LoadSettings.builder().setAllowDuplicateKeys(false).setLabel(source).build())
                    .loadFromString(BARE_PLACEHOLDER.matcher(yaml).replaceAll("\"$1\""));
        } catch (MarkedYamlEngineException e) {
            String where = e.getProblemMark().map(m -> " at line " + (m.getLine() + 1) + ", column " + (m.getColumn() + 1)).orElse("");
            throw new ConfigException(source + ": not valid YAML" + where + ": " + e.getProblem());
        } catch (YamlEngineException e) {
            throw new ConfigException(source + ": not valid YAML: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (document == null) {
            throw new ConfigException(source + ": the configuration is empty; start from conf/grouprelay.yaml");
        }
        YamlNode root = YamlNode.root(document, env).allow("directory", "seafile", "check", "ops", "keycloak");
        DirectoryConfig directory = directory(root.section("directory"));
        Config config = new Config(directory, root.optionalSection("seafile").map(s -> new SeafileSection(s, directory).read()),
                root.optionalSection("check").map(CheckSection::read).orElse(CheckConfig.defaults()),
                root.optionalSection("ops").map(o -> OpsSection.read(o, directory)).orElse(OpsConfig.defaults()),
                root.optionalSection("keycloak").map(KeycloakSection::read));
        literalSecrets.addAll(root.literalSecrets());
        return config;
    }

    private DirectoryConfig directory(YamlNode node) {
        node.allow("suffix", "dataDir", "bootstrapLdif", "adminPassword", "ldap", "ldaps", "tls", "requireTls",
                "peopleDn", "groupsDn");
        LdapName suffix = dn(node, "suffix");
        Secret adminPassword = node.secret("adminPassword");
        if (adminPassword.reveal().equals("secret")) {
            throw new ConfigException(node.key("adminPassword")
                    + ": 'secret' is ApacheDS's well-known default; choose a real password");
        }
        Endpoint ldap = endpoint(node.section("ldap"));
        Optional<Endpoint> ldaps = node.optionalSection("ldaps").map(this::endpoint);
        if (ldaps.isPresent() && ldaps.get().equals(ldap)) {
            throw new ConfigException(node.key("ldaps.port") + ": " + ldaps.get() + " is also directory.ldap; give LDAPS its own port");
        }
        Optional<TlsConfig> tls = node.optionalSection("tls").map(t -> {
            t.allow("keystore", "password");
            return new TlsConfig(t.readableFile("keystore"), t.secret("password"));
        });
        LdapName peopleDn = below(node, "peopleDn", suffix);
        LdapName groupsDn = below(node, "groupsDn", suffix);
        if (peopleDn.equals(groupsDn)) {
            throw new ConfigException(node.key("groupsDn") + ": must differ from directory.peopleDn");
        }
        boolean requireTls = node.bool("requireTls", false);
        return new DirectoryConfig(suffix.toString(), node.path("dataDir"), node.readableFile("bootstrapLdif"),
                adminPassword, ldap, ldaps, tls, requireTls, peopleDn.toString(), groupsDn.toString());
    }

    private Endpoint endpoint(YamlNode node) {
        node.allow("host", "port");
        return new Endpoint(node.string("host"), node.port("port"));
    }

    private static LdapName dn(YamlNode node, String key) {
        String raw = node.string(key);
        try {
            LdapName dn = new LdapName(raw);
            if (!dn.isEmpty()) {
                return dn;
            }
        } catch (InvalidNameException | IllegalArgumentException e) {
            // reported below
        }
        throw new ConfigException(node.key(key) + ": '" + raw + "' is not a valid DN; write it like ou=people,dc=example,dc=org");
    }

    /** A DN strictly below the suffix; LdapName compares attribute types and values case-insensitively. */
    private static LdapName below(YamlNode node, String key, LdapName suffix) {
        LdapName dn = dn(node, key);
        if (dn.size() <= suffix.size() || !dn.startsWith(suffix.getRdns())) {
            throw new ConfigException(node.key(key) + ": '" + dn + "' is not below directory.suffix '"
                    + suffix + "'; write it like ou=people," + suffix);
        }
        return dn;
    }
}
