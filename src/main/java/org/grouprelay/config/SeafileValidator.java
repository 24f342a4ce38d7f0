package org.grouprelay.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import org.grouprelay.membership.MembershipRules;
import org.grouprelay.membership.NestedPolicy;
import org.grouprelay.mapping.MappingRule;
import org.grouprelay.mapping.Strategy;

/** Checks the {@code seafile} section and turns it into {@link SeafileConfig}. */
final class SeafileValidator {
    private static final Pattern EMAIL_LIKE = Pattern.compile("[^@\\s]+@[^@\\s]+");

    private final Section section;
    private final DirectoryConfig directory;

    SeafileValidator(Section section, DirectoryConfig directory) {
        this.section = section;
        this.directory = directory;
    }

    SeafileConfig validate(ConfigFile.Seafile raw) {
        SeafileConfig.TargetKind target = choice("target", raw.target(), SeafileConfig.TargetKind.class, "sql");
        Optional<SeafileConfig.Sql> sql = Optional.ofNullable(raw.sql()).map(this::sql);
        if (target == SeafileConfig.TargetKind.SQL && sql.isEmpty()) {
            throw section.error("sql", "missing; seafile.target sql needs the database settings");
        }
        Optional<SeafileConfig.Api> api = Optional.ofNullable(raw.api()).map(a -> new ApiValidator(section.child("api")).validate(a));
        if (target == SeafileConfig.TargetKind.API && api.isEmpty()) {
            throw section.error("api", "missing; seafile.target api needs url and token (or username and password)");
        }
        String creator = section.string("groupCreator", raw.groupCreator());
        if (!EMAIL_LIKE.matcher(creator).matches()) {
            throw section.error("groupCreator", "'" + creator
                    + "' is not a Seafile user id; write the id of an existing Seafile admin, e.g. admin@example.org");
        }
        String placeholder = section.optional("placeholderMember", raw.placeholderMember()).orElse(MembershipRules.KEYCLOAK_PLACEHOLDER);
        try {
            new LdapName(placeholder);
        } catch (InvalidNameException e) {
            throw section.error("placeholderMember", "'" + placeholder + "' is not a valid DN");
        }
        int deadline = section.optional("deadlineMillis", raw.deadlineMillis())
                .map(v -> section.number("deadlineMillis", v, 1, Integer.MAX_VALUE, "is not a positive number of milliseconds"))
                .orElse(2000);
        return new SeafileConfig(target, choice("mode", raw.mode(), SeafileConfig.Mode.class, "relay"),
                choice("nested", raw.nested(), NestedPolicy.class, "flatten"), section.bool("adopt", raw.adopt(), false), sql, api,
                users(raw.users()), creator, placeholder,
                raw.auditLog() == null ? directory.dataDir().resolve("audit.jsonl") : section.path("auditLog", raw.auditLog()),
                Duration.ofMillis(deadline));
    }

    private SeafileConfig.Sql sql(ConfigFile.Sql raw) {
        Section sql = section.child("sql");
        return new SeafileConfig.Sql(jdbc(sql, "ccnetUrl", raw.ccnetUrl()), jdbc(sql, "seahubUrl", raw.seahubUrl()),
                jdbc(sql, "seafileUrl", raw.seafileUrl()), sql.string("user", raw.user()), sql.secret("password", raw.password()));
    }

    private static String jdbc(Section sql, String key, String raw) {
        String url = sql.string(key, raw);
        if (!url.startsWith("jdbc:mariadb://") && !url.startsWith("jdbc:mysql://")) {
            throw sql.error(key, "'" + url + "' is not a MariaDB/MySQL JDBC URL; write it like jdbc:mariadb://127.0.0.1:3306/ccnet_db");
        }
        return url;
    }

    private List<MappingRule> users(List<ConfigFile.UserRule> items) {
        if (items == null || items.isEmpty()) {
            return List.of(new MappingRule(Strategy.EMAIL, null, "mail"));
        }
        List<MappingRule> rules = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            Section item = section.item("users", i);
            ConfigFile.UserRule raw = items.get(i) == null ? new ConfigFile.UserRule(null, null, null) : items.get(i);
            String name = item.string("strategy", raw.strategy());
            Strategy strategy = Strategy.byConfigName(name).orElseThrow(() -> item.error("strategy", "'" + name
                    + "' is not a strategy; use email, social-auth or contact-email"));
            String provider = strategy == Strategy.SOCIAL_AUTH ? item.string("provider", raw.provider()) : null;
            if (strategy != Strategy.SOCIAL_AUTH && item.optional("provider", raw.provider()).isPresent()) {
                throw item.error("provider", "only the social-auth strategy takes a provider");
            }
            rules.add(new MappingRule(strategy, provider, item.optional("attribute", raw.attribute()).orElse("mail")));
        }
        return rules;
    }

    private <E extends Enum<E>> E choice(String key, String raw, Class<E> type, String defaultValue) {
        String value = section.optional(key, raw).orElse(defaultValue);
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            List<String> allowed = new ArrayList<>();
            for (E constant : type.getEnumConstants()) {
                allowed.add(constant.name().toLowerCase(Locale.ROOT));
            }
            throw section.error(key, "'" + value + "' is not one of " + String.join(", ", allowed));
        }
    }
}
