package org.grouprelay.transfer;

import java.time.Clock;
import java.time.Duration;
import org.apache.directory.api.ldap.model.exception.LdapException;
import org.apache.directory.ldap.client.api.LdapConnectionConfig;
import org.apache.directory.ldap.client.api.LdapNetworkConnection;
import org.grouprelay.config.DirectoryConfig;
import org.grouprelay.config.Environment;
import org.grouprelay.directory.AdminConnection;
import org.grouprelay.directory.EmbeddedDirectory;

/**
 * An administrator's connection to the directory: the running {@code serve} when one answers on
 * {@code directory.ldap}, else the stopped directory in {@code dataDir}, opened for as long as this lives.
 */
public final class RunningOrLocal implements AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofMinutes(10);

    private final LdapNetworkConnection connection;
    private final EmbeddedDirectory local;
    private final String description;

    private RunningOrLocal(LdapNetworkConnection connection, EmbeddedDirectory local, String description) {
        this.connection = connection;
        this.local = local;
        this.description = description;
    }

    /** The running directory, or, when none answers on {@code directory.ldap}, the one in {@code dataDir}. */
    public static RunningOrLocal open(DirectoryConfig directory, Environment env, Clock clock) throws Exception {
        String url = AdminConnection.url(directory);
        LdapNetworkConnection running = new LdapNetworkConnection(AdminConnection.config(directory, TIMEOUT));
        if (connects(running)) {
            bind(running, url);
            return new RunningOrLocal(running, null, "the running directory at " + url);
        }
        closeQuietly(running);
        EmbeddedDirectory local;
        try {
            local = EmbeddedDirectory.startLocal(directory, env, clock);
        } catch (org.grouprelay.config.ConfigException e) {
            throw new TransferException("no directory answers at " + url + " and " + e.getMessage(), e);
        } catch (Exception e) {
            throw new TransferException("no directory answers at " + url + ", and directory.dataDir " + directory.dataDir()
                    + " cannot be opened (is serve running with another directory.ldap?): " + org.grouprelay.cli.ExitCodes.describe(e), e);
        }
        LdapConnectionConfig config = AdminConnection.config(directory, TIMEOUT);
        config.setLdapHost(local.ldap().host());
        config.setLdapPort(local.ldap().port());
        config.setUseTls(false);
        LdapNetworkConnection connection = new LdapNetworkConnection(config);
        try {
            bind(connection, "the stopped directory");
        } catch (RuntimeException e) {
            local.close();
            throw e;
        }
        return new RunningOrLocal(connection, local, "directory.dataDir " + directory.dataDir() + " (serve is not running)");
    }

    /** The running directory only: what must go through the relay. */
    public static LdapNetworkConnection running(DirectoryConfig directory) {
        String url = AdminConnection.url(directory);
        LdapNetworkConnection running = new LdapNetworkConnection(AdminConnection.config(directory, TIMEOUT));
        if (!connects(running)) {
            closeQuietly(running);
            throw new TransferException("no directory answers at " + url + "; start grouprelay serve first (import goes through the relay)");
        }
        bind(running, url);
        return running;
    }

    private static boolean connects(LdapNetworkConnection connection) {
        try {
            return connection.connect();
        } catch (LdapException e) {
            return false;
        }
    }

    private static void bind(LdapNetworkConnection connection, String where) {
        try {
            connection.bind();
        } catch (LdapException e) {
            closeQuietly(connection);
            throw new TransferException(where + " refused a bind as " + AdminConnection.ADMIN_DN
                    + " (check directory.adminPassword): " + e.getMessage(), e);
        }
    }

    public LdapNetworkConnection connection() {
        return connection;
    }

    /** Where the entries come from, for messages. */
    public String description() {
        return description;
    }

    @Override
    public void close() {
        closeQuietly(connection);
        if (local != null) {
            local.close();
        }
    }

    private static void closeQuietly(LdapNetworkConnection connection) {
        try {
            connection.close();
        } catch (Exception e) {
            // closing: nothing left to do
        }
    }
}
