package org.grouprelay.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Pattern;

/** Checks a {@code targets} entry of {@code kind: matrix-mas} and turns it into {@link MasConfig}. */
final class MasValidator {
    private static final Pattern ATTRIBUTE = Pattern.compile("[A-Za-z][A-Za-z0-9-]*");

    private final Section section;
    private final Path defaultAuditLog;

    MasValidator(Section section, Path defaultAuditLog) {
        this.section = section;
        this.defaultAuditLog = defaultAuditLog;
    }

    MasConfig validate(ConfigFile.Mas raw) {
        ApiValidator http = new ApiValidator(section);
        String url = http.url("url", raw.url(), "write MAS's base address like https://auth.example.org");
        String client = section.string("clientId", raw.clientId());
        Secret secret = new Secret(section.optional("clientSecret", raw.clientSecret()).orElseThrow(() -> section.error("clientSecret",
                "missing; give the secret of a client MAS's policy lists as an admin client (e.g. clientSecret: ${MAS_CLIENT_SECRET})")));
        String group = section.string("group", raw.group());
        String localpart = section.optional("localpart", raw.localpart()).orElse("uid");
        if (!ATTRIBUTE.matcher(localpart).matches()) {
            throw section.error("localpart", "'" + localpart + "' is not an LDAP attribute name; write one like uid");
        }
        MasConfig.Offboard offboard = section.choice("offboard", raw.offboard(), MasConfig.Offboard.class, "deactivate");
        int timeout = http.positive("timeoutSeconds", raw.timeoutSeconds(), 10, "seconds");
        TargetKeys keys = new TargetKeys(section);
        RelayMode mode = keys.mode(raw.mode());
        if (mode == RelayMode.STRICT) {
            throw section.error("mode", "strict is not offered for kind matrix-mas (MAS has no transactions, so a refused operation"
                    + " could not be undone there); use relay");
        }
        return new MasConfig(url, client, secret, group, localpart.toLowerCase(Locale.ROOT), offboard, Duration.ofSeconds(timeout),
                http.caFile(raw.caFile()), mode, keys.deadline(raw.deadlineMillis()), keys.nested(raw.nested()),
                keys.placeholder(raw.placeholderMember()), keys.auditLog(raw.auditLog(), defaultAuditLog));
    }
}
