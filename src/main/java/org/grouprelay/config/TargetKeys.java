package org.grouprelay.config;

import java.nio.file.Path;
import java.time.Duration;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import org.grouprelay.membership.MembershipRules;
import org.grouprelay.membership.NestedPolicy;

/** The keys every kind of target has: {@code mode}, {@code nested}, {@code placeholderMember}, {@code auditLog}, {@code deadlineMillis}. */
final class TargetKeys {
    private final Section section;

    TargetKeys(Section section) {
        this.section = section;
    }

    RelayMode mode(String raw) {
        return section.choice("mode", raw, RelayMode.class, "relay");
    }

    NestedPolicy nested(String raw) {
        return section.choice("nested", raw, NestedPolicy.class, "flatten");
    }

    String placeholder(String raw) {
        String placeholder = section.optional("placeholderMember", raw).orElse(MembershipRules.KEYCLOAK_PLACEHOLDER);
        try {
            new LdapName(placeholder);
        } catch (InvalidNameException e) {
            throw section.error("placeholderMember", "'" + placeholder + "' is not a valid DN");
        }
        return placeholder;
    }

    Path auditLog(String raw, Path defaultValue) {
        return raw == null ? defaultValue : section.path("auditLog", raw);
    }

    Duration deadline(String raw) {
        return Duration.ofMillis(section.optional("deadlineMillis", raw)
                .map(v -> section.number("deadlineMillis", v, 1, Integer.MAX_VALUE, "is not a positive number of milliseconds"))
                .orElse(2000));
    }
}
