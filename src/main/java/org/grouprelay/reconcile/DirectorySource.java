package org.grouprelay.reconcile;

import java.util.List;
import java.util.function.Consumer;
import org.apache.directory.api.ldap.model.entry.Entry;
import org.apache.directory.api.ldap.model.exception.LdapException;
import org.apache.directory.api.ldap.model.schema.SchemaManager;

/** Where the check reads the directory: over LDAP (the {@code check} command) or in-process (inside {@code serve}). */
public interface DirectorySource extends AutoCloseable {
    /** Every entry below {@code base} (subtree) matching {@code filter}, with {@code attributes}. */
    void search(String base, String filter, List<String> attributes, Consumer<Entry> each) throws LdapException;

    SchemaManager schemaManager();

    @Override
    void close();
}
