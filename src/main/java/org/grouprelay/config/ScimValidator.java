package org.grouprelay.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

/** Checks a {@code targets} entry of {@code kind: scim} and turns it into {@link ScimConfig}. */
final class ScimValidator {
    private static final Pattern ATTRIBUTE = Pattern.compile("[A-Za-z][A-Za-z0-9-]*");

    private final Section section;
    private final Path defaultAuditLog;

    ScimValidator(Section section, Path defaultAuditLog) {
        this.section = section;
        this.defaultAuditLog = defaultAuditLog;
    }

    ScimConfig validate(ConfigFile.Scim raw) {
        ApiValidator http = new ApiValidator(section);
        String url = http.url("url", raw.url(), "write the SCIM base address like https://scim.example.org/scim/v2");
        Secret token = new Secret(section.optional("token", raw.token()).orElseThrow(() -> section.error("token",
                "missing; give the bearer token the application issued for provisioning (e.g. token: ${SCIM_TOKEN})")));
        Section users = section.child("users");
        ConfigFile.ScimUsers rawUsers = Optional.ofNullable(raw.users()).orElse(new ConfigFile.ScimUsers(null, null));
        String userName = users.optional("userName", rawUsers.userName()).orElse("uid");
        if (!ATTRIBUTE.matcher(userName).matches()) {
            throw users.error("userName", "'" + userName + "' is not an LDAP attribute name; write one like uid or mail");
        }
        ScimConfig.OnUserDeleted onDelete = users.choice("onDelete", rawUsers.onDelete(), ScimConfig.OnUserDeleted.class, "deactivate");
        int maxOperations = section.optional("maxOperations", raw.maxOperations())
                .map(v -> section.number("maxOperations", v, 1, 10_000, "is not a number of member values per request from 1 to 10000"))
                .orElse(100);
        ScimConfig.Compatibility compatibility = section.choice("compatibility", raw.compatibility(), ScimConfig.Compatibility.class, "none");
        int timeout = http.positive("timeoutSeconds", raw.timeoutSeconds(), 10, "seconds");
        TargetKeys keys = new TargetKeys(section);
        return new ScimConfig(url, token, userName.toLowerCase(java.util.Locale.ROOT), onDelete, maxOperations, compatibility,
                Duration.ofSeconds(timeout), http.caFile(raw.caFile()), keys.mode(raw.mode()), keys.deadline(raw.deadlineMillis()),
                keys.nested(raw.nested()), keys.placeholder(raw.placeholderMember()), keys.auditLog(raw.auditLog(), defaultAuditLog));
    }
}
