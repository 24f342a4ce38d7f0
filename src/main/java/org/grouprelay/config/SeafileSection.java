package org.grouprelay.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import org.grouprelay.capture.CaptureSettings;
import org.grouprelay.capture.NestedPolicy;
import org.grouprelay.mapping.MappingRule;
import org.grouprelay.mapping.Strategy;

/** Reads and checks the {@code seafile} section. */
final class SeafileSection {
    private static final Pattern EMAIL_LIKE = Pattern.compile("[^@\\s]+@[^@\\s]+");

    private final YamlNode node;
    private final DirectoryConfig directory;

    SeafileSection(YamlNode node, DirectoryConfig directory) {
        this.node = node;
        this.directory = directory;
    }

    SeafileConfig read() {
        node.allow("target", "mode", "nested", "adopt", "sql", "api", "users", "groupCreator", "placeholderMember", "auditLog",
                "deadlineMillis");
        SeafileConfig.TargetKind target = choice("target", SeafileConfig.TargetKind.class, "sql");
        Optional<SeafileConfig.Sql> sql = node.optionalSection("sql").map(this::sql);
        if (target == SeafileConfig.TargetKind.SQL && sql.isEmpty()) {
            throw new ConfigException(node.key("sql") + ": missing; seafile.target sql needs the database settings");
        }
        Optional<SeafileConfig.Api> api = node.optionalSection("api").map(a -> new ApiSection(a).read());
        if (target == SeafileConfig.TargetKind.API && api.isEmpty()) {
            throw new ConfigException(node.key("api") + ": missing; seafile.target api needs url and token (or username and password)");
        }
        String creator = node.string("groupCreator");
        if (!EMAIL_LIKE.matcher(creator).matches()) {
            throw new ConfigException(node.key("groupCreator") + ": '" + creator
                    + "' is not a Seafile user id; write the id of an existing Seafile admin, e.g. admin@example.org");
        }
        String placeholder = node.optionalString("placeholderMember").orElse(CaptureSettings.KEYCLOAK_PLACEHOLDER);
        try {
            new LdapName(placeholder);
        } catch (InvalidNameException e) {
            throw new ConfigException(node.key("placeholderMember") + ": '" + placeholder + "' is not a valid DN");
        }
        int deadline = node.optionalString("deadlineMillis").map(v -> positive("deadlineMillis", v)).orElse(2000);
        return new SeafileConfig(target, choice("mode", SeafileConfig.Mode.class, "relay"),
                choice("nested", NestedPolicy.class, "flatten"), node.bool("adopt", false), sql, api, users(), creator, placeholder,
                node.optionalString("auditLog").map(p -> node.path("auditLog")).orElse(directory.dataDir().resolve("audit.jsonl")),
                Duration.ofMillis(deadline));
    }

    private SeafileConfig.Sql sql(YamlNode sql) {
        sql.allow("ccnetUrl", "seahubUrl", "seafileUrl", "user", "password");
        return new SeafileConfig.Sql(jdbc(sql, "ccnetUrl"), jdbc(sql, "seahubUrl"), jdbc(sql, "seafileUrl"), sql.string("user"),
                sql.secret("password"));
    }

    private static String jdbc(YamlNode sql, String key) {
        String url = sql.string(key);
        if (!url.startsWith("jdbc:mariadb://") && !url.startsWith("jdbc:mysql://")) {
            throw new ConfigException(sql.key(key) + ": '" + url + "' is not a MariaDB/MySQL JDBC URL; write it like jdbc:mariadb://127.0.0.1:3306/ccnet_db");
        }
        return url;
    }

    private List<MappingRule> users() {
        List<YamlNode> items = node.list("users");
        if (items.isEmpty()) {
            return List.of(new MappingRule(Strategy.EMAIL, null, "mail"));
        }
        List<MappingRule> rules = new ArrayList<>();
        for (YamlNode item : items) {
            item.allow("strategy", "provider", "attribute");
            String name = item.string("strategy");
            Strategy strategy = Strategy.byConfigName(name).orElseThrow(() -> new ConfigException(item.key("strategy") + ": '" + name
                    + "' is not a strategy; use email, social-auth or contact-email"));
            String provider = strategy == Strategy.SOCIAL_AUTH ? item.string("provider") : null;
            if (strategy != Strategy.SOCIAL_AUTH && item.optionalString("provider").isPresent()) {
                throw new ConfigException(item.key("provider") + ": only the social-auth strategy takes a provider");
            }
            rules.add(new MappingRule(strategy, provider, item.optionalString("attribute").orElse("mail")));
        }
        return rules;
    }

    private <E extends Enum<E>> E choice(String key, Class<E> type, String defaultValue) {
        String value = node.optionalString(key).orElse(defaultValue);
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            List<String> allowed = new ArrayList<>();
            for (E constant : type.getEnumConstants()) {
                allowed.add(constant.name().toLowerCase(Locale.ROOT));
            }
            throw new ConfigException(node.key(key) + ": '" + value + "' is not one of " + String.join(", ", allowed));
        }
    }

    private int positive(String key, String value) {
        try {
            int parsed = Integer.parseInt(value);
            if (parsed > 0) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigException(node.key(key) + ": '" + value + "' is not a positive number of milliseconds");
    }
}
