package org.grouprelay.transfer;

import org.apache.directory.api.ldap.model.exception.LdapException;
import org.apache.directory.api.ldap.model.schema.SchemaManager;
import org.apache.directory.api.ldap.schema.manager.impl.DefaultSchemaManager;
import org.apache.directory.ldap.client.api.DefaultSchemaLoader;
import org.apache.directory.ldap.client.api.LdapConnection;

/**
 * The schema as the directory itself has it (read from its {@code ou=schema}), so that export and import know
 * grouprelay's own object classes and attributes ({@code grouprelayExpiringGroup}, ...) and any an operator added,
 * not only those the LDAP library ships.
 */
public final class ServerSchema {
    private ServerSchema() {
    }

    public static SchemaManager of(LdapConnection connection) {
        try {
            SchemaManager schema = new DefaultSchemaManager(new DefaultSchemaLoader(connection, true));
            schema.loadAllEnabled();
            if (!schema.getErrors().isEmpty()) {
                throw new TransferException("the directory's schema does not load: " + schema.getErrors().get(0));
            }
            return schema;
        } catch (LdapException e) {
            throw new TransferException("cannot read the directory's schema: " + e.getMessage(), e);
        }
    }
}
