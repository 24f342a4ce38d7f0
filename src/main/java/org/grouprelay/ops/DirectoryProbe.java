package org.grouprelay.ops;

import java.time.Duration;
import org.apache.directory.ldap.client.api.LdapConnectionConfig;
import org.apache.directory.ldap.client.api.LdapNetworkConnection;
import org.grouprelay.config.DirectoryConfig;
import org.grouprelay.directory.AdminConnection;

/**
 * Whether the directory answers LDAP: connects to {@code directory.ldap} (StartTLS first when
 * {@code requireTls}) and binds as {@code uid=admin,ou=system}, within a timeout. What Keycloak
 * needs, checked the way Keycloak does it.
 */
public final class DirectoryProbe {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    private final DirectoryConfig directory;
    private final Duration timeout;

    public DirectoryProbe(DirectoryConfig directory, Duration timeout) {
        this.directory = directory;
        this.timeout = timeout;
    }

    public StatusReport.Probe probe() {
        long started = System.nanoTime();
        String url = AdminConnection.url(directory);
        LdapConnectionConfig config = AdminConnection.config(directory, timeout);
        config.setConnectTimeout(timeout.toMillis());
        try (LdapNetworkConnection connection = new LdapNetworkConnection(config)) {
            connection.bind();
            connection.unBind();
            return new StatusReport.Probe(true, url + " accepted a bind as uid=admin,ou=system", millisSince(started));
        } catch (Exception e) {
            return new StatusReport.Probe(false, url + ": " + StatusProbe.oneLine(e), millisSince(started));
        }
    }

    static long millisSince(long nanoTime) {
        return Duration.ofNanos(System.nanoTime() - nanoTime).toMillis();
    }
}
