package org.grouprelay.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.grouprelay.membership.NestedPolicy;
import org.grouprelay.mapping.MappingRule;

/**
 * The {@code seafile} section: where and how group changes are relayed.
 *
 * @param placeholderMember Keycloak's placeholder {@code member} value, never relayed
 * @param auditLog          JSON-lines audit trail (default {@code <dataDir>/audit.jsonl})
 * @param deadline          bound on every target call made while an LDAP client waits
 */
public record SeafileConfig(
        TargetKind target,
        RelayMode mode,
        NestedPolicy nested,
        boolean adopt,
        Optional<Sql> sql,
        Optional<Api> api,
        List<MappingRule> users,
        String groupCreator,
        String placeholderMember,
        Path auditLog,
        Duration deadline) implements TargetSettings {

    public enum TargetKind { SQL, API }

    @Override
    public String kind() {
        return "seafile";
    }

    /**
     * {@code seafile.api}: Seafile's admin API v2.1. Either {@code token} or {@code username} with
     * {@code password} (exchanged for a token at {@code /api2/auth-token/}).
     *
     * @param url                  Seafile's base URL, without a trailing slash
     * @param timeout              connect, read, write and whole-call timeout of every request
     * @param maxRequestsPerSecond requests are spaced so as never to exceed this rate
     * @param caFile               PEM certificates to trust instead of the JVM's CAs (a self-signed Seafile)
     */
    public record Api(String url, Optional<Secret> token, Optional<String> username, Optional<Secret> password, Duration timeout,
            int maxRequestsPerSecond, Optional<Path> caFile) {
    }

    /** {@code seafile.sql}: JDBC URLs of Seafile's three databases and the account to use. */
    public record Sql(String ccnetUrl, String seahubUrl, String seafileUrl, String user, Secret password) {
    }
}
