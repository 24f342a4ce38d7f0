package org.grouprelay.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Checks a {@code targets} entry of {@code kind: entra} and turns it into {@link EntraConfig}. */
final class EntraValidator {
    private static final Pattern GUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern ATTRIBUTE = Pattern.compile("[A-Za-z][A-Za-z0-9-]*");
    private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost", "[::1]", "::1");

    private final Section section;
    private final Path defaultAuditLog;

    EntraValidator(Section section, Path defaultAuditLog) {
        this.section = section;
        this.defaultAuditLog = defaultAuditLog;
    }

    EntraConfig validate(ConfigFile.Entra raw) {
        String tenant = guid("tenantId", raw.tenantId(), "the directory (tenant) id from the app registration's overview");
        String client = guid("clientId", raw.clientId(), "the application (client) id from the app registration's overview");
        Secret secret = new Secret(section.optional("clientSecret", raw.clientSecret()).orElseThrow(() -> section.error("clientSecret",
                "missing; give a client secret of the app registration (e.g. clientSecret: ${ENTRA_CLIENT_SECRET})")));
        List<EntraConfig.GroupMapping> groups = groups(raw.groups());
        Section users = section.child("users");
        ConfigFile.EntraUsers rawUsers = Optional.ofNullable(raw.users()).orElse(new ConfigFile.EntraUsers(null, null, null, null, null));
        String match = users.optional("match", rawUsers.match()).orElse("mail");
        if (!ATTRIBUTE.matcher(match).matches()) {
            throw users.error("match", "'" + match + "' is not an LDAP attribute name; write one like mail");
        }
        boolean invite = users.bool("invite", rawUsers.invite(), false);
        String redirect = url(users, "inviteRedirectUrl", rawUsers.inviteRedirectUrl(), "https://myapps.microsoft.com");
        boolean memberType = users.bool("memberType", rawUsers.memberType(), false);
        boolean sendInvitation = users.bool("sendInvitationMessage", rawUsers.sendInvitationMessage(), false);
        String graph = url(section, "graphUrl", raw.graphUrl(), "https://graph.microsoft.com");
        String authority = url(section, "authorityUrl", raw.authorityUrl(), "https://login.microsoftonline.com");
        int timeout = new ApiValidator(section).positive("timeoutSeconds", raw.timeoutSeconds(), 10, "seconds");
        TargetKeys keys = new TargetKeys(section);
        RelayMode mode = keys.mode(raw.mode());
        if (mode == RelayMode.STRICT) {
            throw section.error("mode", "strict is not offered for kind entra (Graph has no transactions, so a refused operation"
                    + " could not be undone there); use relay");
        }
        return new EntraConfig(tenant, client, secret, groups, match.toLowerCase(Locale.ROOT), invite, redirect, memberType, sendInvitation, graph, authority,
                Duration.ofSeconds(timeout), mode, keys.deadline(raw.deadlineMillis()), keys.nested(raw.nested()),
                keys.placeholder(raw.placeholderMember()), keys.auditLog(raw.auditLog(), defaultAuditLog));
    }

    private String guid(String key, String raw, String where) {
        String value = section.optional(key, raw).orElseThrow(() -> section.error(key, "missing; give " + where));
        if (!GUID.matcher(value).matches()) {
            throw section.error(key, "'" + value + "' is not a GUID; give " + where);
        }
        return value.toLowerCase(Locale.ROOT);
    }

    private List<EntraConfig.GroupMapping> groups(List<ConfigFile.EntraGroup> raw) {
        if (raw == null || raw.isEmpty()) {
            throw section.error("groups", "missing; map at least one directory group to an Entra group, e.g."
                    + " - { directory: staff, entra: 11111111-1111-1111-1111-111111111111 }");
        }
        List<EntraConfig.GroupMapping> groups = new ArrayList<>();
        Set<String> directories = new HashSet<>();
        Set<String> entras = new HashSet<>();
        for (int i = 0; i < raw.size(); i++) {
            Section item = section.item("groups", i);
            ConfigFile.EntraGroup group = raw.get(i) == null ? new ConfigFile.EntraGroup(null, null) : raw.get(i);
            String directory = item.string("directory", group.directory());
            String entra = item.string("entra", group.entra());
            if (!GUID.matcher(entra).matches()) {
                throw item.error("entra", "'" + entra + "' is not a GUID; give the Entra group's object id");
            }
            if (!directories.add(directory.toLowerCase(Locale.ROOT))) {
                throw item.error("directory", "'" + directory + "' is mapped twice; map each directory group once");
            }
            if (!entras.add(entra.toLowerCase(Locale.ROOT))) {
                throw item.error("entra", "'" + entra + "' is mapped twice; two directory groups cannot feed one Entra group");
            }
            groups.add(new EntraConfig.GroupMapping(directory, entra.toLowerCase(Locale.ROOT)));
        }
        return groups;
    }

    /** https, or plain http to a loopback address (a test or a local proxy); no trailing slash. */
    private static String url(Section section, String key, String raw, String defaultValue) {
        String value = section.optional(key, raw).orElse(defaultValue).replaceAll("/+$", "");
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme();
            if (uri.getHost() != null && (scheme.equals("https") || scheme.equals("http") && LOOPBACK.contains(uri.getHost()))) {
                return value;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw section.error(key, "'" + value + "' is not an https URL (plain http only to a loopback address); e.g. " + defaultValue);
    }
}
