package org.grouprelay.directory;

import java.time.Duration;
import org.apache.directory.ldap.client.api.LdapConnectionConfig;
import org.apache.directory.ldap.client.api.NoVerificationTrustManager;
import org.grouprelay.config.DirectoryConfig;

/**
 * How the command-line tools reach a running directory: {@code directory.ldap} (loopback when it
 * listens on every address), StartTLS first when {@code requireTls}, bound as {@code uid=admin,ou=system}
 * with the configured password.
 */
public final class AdminConnection {
    public static final String ADMIN_DN = "uid=admin,ou=system";

    private AdminConnection() {
    }

    /** The host a local client connects to: the listen address, or loopback for a wildcard one. */
    public static String host(DirectoryConfig directory) {
        String host = directory.ldap().host();
        return host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
    }

    /** {@code ldap://host:port} as a client connects to it. */
    public static String url(DirectoryConfig directory) {
        return "ldap://" + host(directory) + ":" + directory.ldap().port();
    }

    public static LdapConnectionConfig config(DirectoryConfig directory, Duration timeout) {
        LdapConnectionConfig config = new LdapConnectionConfig();
        config.setLdapHost(host(directory));
        config.setLdapPort(directory.ldap().port());
        config.setTimeout(timeout.toMillis());
        config.setConnectTimeout(Math.min(timeout.toMillis(), 10_000));
        config.setName(ADMIN_DN);
        config.setCredentials(directory.adminPassword().reveal());
        if (directory.requireTls()) {
            config.setUseTls(true);
            config.setTrustManagers(new NoVerificationTrustManager());
        }
        return config;
    }
}
