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
    private final java.nio.file.Path defaultAuditLog;

    /** {@code defaultAuditLog}: where the audit log goes when {@code auditLog} is not given. */
    SeafileValidator(Section section, java.nio.file.Path defaultAuditLog) {
        this.section = section;
        this.defaultAuditLog = defaultAuditLog;
    }

    SeafileConfig validate(ConfigFile.Seafile raw) {
        SeafileConfig.TargetKind target = section.choice("target", raw.target(), SeafileConfig.TargetKind.class, "sql");
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
        TargetKeys keys = new TargetKeys(section);
        return new SeafileConfig(target, keys.mode(raw.mode()), keys.nested(raw.nested()), section.bool("adopt", raw.adopt(), false), sql, api,
                users(raw.users()), creator, keys.placeholder(raw.placeholderMember()), keys.auditLog(raw.auditLog(), defaultAuditLog),
                keys.deadline(raw.deadlineMillis()));
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
            return List.of(MappingRule.DEFAULT);
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
}
