package org.grouprelay.reconcile;

import java.io.IOException;
import java.util.List;
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

/** The running directory over LDAP, bound as {@code uid=admin,ou=system} with the configured password. */
public final class LdapDirectorySource implements DirectorySource {
    private final LdapNetworkConnection connection;
    private final SchemaManager schemaManager;

    public LdapDirectorySource(DirectoryConfig directory) throws LdapException {
        this.schemaManager = new DefaultSchemaManager();
        LdapConnectionConfig config = new LdapConnectionConfig();
        String host = directory.ldap().host();
        config.setLdapHost(host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host);
        config.setLdapPort(directory.ldap().port());
        config.setTimeout(60_000);
        config.setName("uid=admin,ou=system");
        config.setCredentials(directory.adminPassword().reveal());
        if (directory.requireTls()) {
            config.setUseTls(true);
            config.setTrustManagers(new org.apache.directory.ldap.client.api.NoVerificationTrustManager());
        }
        this.connection = new LdapNetworkConnection(config);
        // entries arrive schema-less (plain strings): the check normalizes each distinct DN once itself
        connection.bind();
    }

    @Override
    public void search(String base, String filter, List<String> attributes, Consumer<Entry> each) throws LdapException {
        try (EntryCursor cursor = connection.search(base, filter, SearchScope.SUBTREE, attributes.toArray(String[]::new))) {
            while (cursor.next()) {
                each.accept(cursor.get());
            }
        } catch (CursorException | IOException e) {
            throw new LdapException("reading " + base + ": " + e.getMessage(), e);
        }
    }

    @Override
    public SchemaManager schemaManager() {
        return schemaManager;
    }

    @Override
    public void close() {
        try {
            connection.unBind();
            connection.close();
        } catch (Exception e) {
            // closing: nothing left to do
        }
    }
}
