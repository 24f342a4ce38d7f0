package org.grouprelay.config;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * {@code grouprelay.yaml} as written: one record per section, {@code null} where a key is absent. Every scalar is kept as
 * its text, because any value may be an {@code ${ENV}} reference and because each key's own check words its error
 * ({@code 'ldap' is not a TCP port}). {@link ConfigFileReader} binds it, refusing unknown keys; the validators turn it
 * into {@link Config}.
 */
record ConfigFile(Directory directory, Seafile seafile,
        @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.EXISTING_PROPERTY, property = "kind", visible = true)
        @JsonSubTypes({@JsonSubTypes.Type(value = Seafile.class, name = "seafile"), @JsonSubTypes.Type(value = Scim.class, name = "scim"),
            @JsonSubTypes.Type(value = Entra.class, name = "entra"), @JsonSubTypes.Type(value = Mas.class, name = "matrix-mas")})
        Map<String, TargetSection> targets,
        Check check, Ops ops, Keycloak keycloak, Expiry expiry) {

    /** One entry of {@code targets}, by its {@code kind}. */
    sealed interface TargetSection permits Seafile, Scim, Entra, Mas {
        String kind();
    }

    record Directory(String suffix, String dataDir, String bootstrapLdif, String adminPassword, Listener ldap, Listener ldaps,
            Tls tls, String requireTls, String peopleDn, String groupsDn, Access access, String entryCacheSize) {
    }

    record Access(String engine, List<AccessRule> rules) {
    }

    record AccessRule(List<String> accounts, String subtree, String access, List<String> hide, List<String> readOnly) {
    }

    record Listener(String host, String port) {
    }

    record Tls(String keystore, String password) {
    }

    /** The top-level {@code seafile} section, or a {@code targets} entry of {@code kind: seafile}. */
    record Seafile(String kind, String target, String mode, String nested, String adopt, Sql sql, Api api, List<UserRule> users,
            String groupCreator, String placeholderMember, String auditLog, String deadlineMillis) implements TargetSection {
    }

    /** A {@code targets} entry of {@code kind: scim}. */
    record Scim(String kind, String url, String token, ScimUsers users, String maxOperations, String compatibility, String timeoutSeconds,
            String caFile, String mode, String nested, String placeholderMember, String auditLog, String deadlineMillis)
            implements TargetSection {
    }

    record ScimUsers(String userName, String onDelete) {
    }

    /** A {@code targets} entry of {@code kind: entra}. */
    record Entra(String kind, String tenantId, String clientId, String clientSecret, List<EntraGroup> groups, EntraUsers users, String graphUrl,
            String authorityUrl, String timeoutSeconds, String mode, String nested, String placeholderMember, String auditLog,
            String deadlineMillis) implements TargetSection {
    }

    record EntraGroup(String directory, String entra) {
    }

    /** A {@code targets} entry of {@code kind: matrix-mas}. */
    record Mas(String kind, String url, String clientId, String clientSecret, String group, String localpart, String offboard,
            String timeoutSeconds, String caFile, String mode, String nested, String placeholderMember, String auditLog,
            String deadlineMillis) implements TargetSection {
    }

    record EntraUsers(String match, String invite, String inviteRedirectUrl, String memberType, String sendInvitationMessage) {
    }

    record Sql(String ccnetUrl, String seahubUrl, String seafileUrl, String user, String password) {
    }

    record Api(String url, String token, String username, String password, String timeoutSeconds, String maxRequestsPerSecond,
            String caFile) {
    }

    record UserRule(String strategy, String provider, String attribute) {
    }

    record Check(String schedule, Guard guard, Report report) {
    }

    record Guard(String maxRemovalShare) {
    }

    record Report(String onlyOnDrift, Email email) {
    }

    /** {@code to} may be a single address as well as a list. */
    record Email(@JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<String> to, String from, Smtp smtp) {
    }

    record Smtp(String host, String port, String starttls, String ssl, String user, String password) {
    }

    record Ops(Http http, String drainSeconds) {
    }

    record Http(String enabled, String host, String port) {
    }

    record Keycloak(String url, String realm, String clientId, String clientSecret, String pollSeconds) {
    }

    record Expiry(String enforce, String notifyDays, String contact, String noticeTemplate, String checkSeconds) {
    }

    /** The keys of secrets written in the file itself rather than as {@code ${ENV}}, for the readable-file warning. */
    SortedSet<String> literalSecrets() {
        Optional<Directory> directory = Optional.ofNullable(this.directory);
        Map<String, Optional<String>> secrets = Map.of(
                "directory.adminPassword", directory.map(Directory::adminPassword),
                "directory.tls.password", directory.map(Directory::tls).map(Tls::password),
                "seafile.sql.password", Optional.ofNullable(seafile).map(Seafile::sql).map(Sql::password),
                "check.report.email.smtp.password", Optional.ofNullable(check).map(Check::report).map(Report::email)
                        .map(Email::smtp).map(Smtp::password),
                "keycloak.clientSecret", Optional.ofNullable(keycloak).map(Keycloak::clientSecret));
        SortedSet<String> literal = new TreeSet<>();
        Map<String, Optional<String>> all = new java.util.LinkedHashMap<>(secrets);
        Optional.ofNullable(targets).orElse(Map.of()).forEach((name, target) -> {
            if (target instanceof Seafile s) {
                all.put("targets." + name + ".sql.password", Optional.ofNullable(s.sql()).map(Sql::password));
                all.put("targets." + name + ".api.token", Optional.ofNullable(s.api()).map(Api::token));
            } else if (target instanceof Scim s) {
                all.put("targets." + name + ".token", Optional.ofNullable(s.token()));
            } else if (target instanceof Entra e) {
                all.put("targets." + name + ".clientSecret", Optional.ofNullable(e.clientSecret()));
            } else if (target instanceof Mas m) {
                all.put("targets." + name + ".clientSecret", Optional.ofNullable(m.clientSecret()));
            }
        });
        all.forEach((key, value) -> value.filter(v -> !v.contains("${")).ifPresent(v -> literal.add(key)));
        return java.util.Collections.unmodifiableSortedSet(literal);
    }
}
