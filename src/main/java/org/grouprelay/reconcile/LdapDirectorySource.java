package org.grouprelay.reconcile;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.directory.api.ldap.model.cursor.CursorException;
import org.apache.directory.api.ldap.model.cursor.EntryCursor;
import org.apache.directory.api.ldap.model.entry.Entry;
import org.apache.directory.api.ldap.model.exception.LdapException;
import org.apache.directory.api.ldap.model.message.SearchScope;
import org.apache.directory.api.ldap.model.schema.SchemaManager;
import org.apache.directory.api.ldap.schema.manager.impl.DefaultSchemaManager;
import org.apache.directory.ldap.client.api.LdapConnectionConfig;
import org.apache.directory.ldap.client.api.LdapNetworkConnection;
import org.grouprelay.config.DirectoryConfig;
import org.grouprelay.directory.AdminConnection;

/**
 * The running directory over LDAP, bound as {@code uid=admin,ou=system} with the configured password.
 * Searches may run concurrently, each on its own connection (the server then reads on two threads).
 */
public final class LdapDirectorySource implements DirectorySource {
    private final LdapConnectionConfig config;
    private final SchemaManager schemaManager;
    /** The connection opened (and so checked) by the constructor, until a search takes it. */
    private final AtomicReference<LdapNetworkConnection> first;

    public LdapDirectorySource(DirectoryConfig directory) throws LdapException {
        this.schemaManager = new DefaultSchemaManager();
        this.config = AdminConnection.config(directory, java.time.Duration.ofSeconds(60));
        this.first = new AtomicReference<>(connect());
    }

    /** Entries arrive schema-less (plain strings): the check normalizes each distinct DN once itself. */
    private LdapNetworkConnection connect() throws LdapException {
        LdapNetworkConnection connection = new LdapNetworkConnection(config);
        try {
            connection.bind();
        } catch (LdapException e) {
            close(connection);
            throw e;
        }
        return connection;
    }

    @Override
    public void search(String base, String filter, List<String> attributes, Consumer<Entry> each) throws LdapException {
        LdapNetworkConnection taken = first.getAndSet(null);
        LdapNetworkConnection connection = taken != null ? taken : connect();
        try (EntryCursor cursor = connection.search(base, filter, SearchScope.SUBTREE, attributes.toArray(String[]::new))) {
            while (cursor.next()) {
                each.accept(cursor.get());
            }
        } catch (CursorException | IOException e) {
            throw new LdapException("reading " + base + ": " + e.getMessage(), e);
        } finally {
            close(connection);
        }
    }

    @Override
    public SchemaManager schemaManager() {
        return schemaManager;
    }

    @Override
    public void close() {
        LdapNetworkConnection unused = first.getAndSet(null);
        if (unused != null) {
            close(unused);
        }
    }

    private static void close(LdapNetworkConnection connection) {
        try {
            connection.unBind();
            connection.close();
        } catch (Exception e) {
            // closing: nothing left to do
        }
    }
}
