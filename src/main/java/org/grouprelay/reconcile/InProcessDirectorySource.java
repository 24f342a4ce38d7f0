package org.grouprelay.reconcile;

import java.io.IOException;
import java.util.List;
import java.util.function.Consumer;
import org.apache.directory.api.ldap.model.cursor.Cursor;
import org.apache.directory.api.ldap.model.cursor.CursorException;
import org.apache.directory.api.ldap.model.entry.Entry;
import org.apache.directory.api.ldap.model.exception.LdapException;
import org.apache.directory.api.ldap.model.filter.FilterParser;
import org.apache.directory.api.ldap.model.message.AliasDerefMode;
import org.apache.directory.api.ldap.model.message.SearchScope;
import org.apache.directory.api.ldap.model.name.Dn;
import org.apache.directory.api.ldap.model.schema.SchemaManager;
import org.apache.directory.server.core.api.DirectoryService;
import org.grouprelay.directory.ReadLocked;

/** The embedded directory, read through its internal admin session (no network, no access control), under its read lock. */
public final class InProcessDirectorySource implements DirectorySource {
    private final DirectoryService service;

    public InProcessDirectorySource(DirectoryService service) {
        this.service = service;
    }

    /** Holds the directory's read lock until the last entry was read, as an LDAP search does ({@link ReadLocked}). */
    @Override
    public void search(String base, String filter, List<String> attributes, Consumer<Entry> each) throws LdapException {
        ReadLocked.read(service.getOperationManager(), () -> {
            read(base, filter, attributes, each);
            return null;
        });
    }

    private void read(String base, String filter, List<String> attributes, Consumer<Entry> each) throws LdapException {
        SchemaManager schemaManager = service.getSchemaManager();
        try (Cursor<Entry> cursor = service.getAdminSession().search(new Dn(schemaManager, base), SearchScope.SUBTREE,
                FilterParser.parse(schemaManager, filter), AliasDerefMode.NEVER_DEREF_ALIASES, attributes.toArray(String[]::new))) {
            while (cursor.next()) {
                each.accept(cursor.get());
            }
        } catch (CursorException | IOException | java.text.ParseException e) {
            throw new LdapException("reading " + base + ": " + e.getMessage(), e);
        }
    }

    @Override
    public SchemaManager schemaManager() {
        return service.getSchemaManager();
    }

    @Override
    public void close() {
        // the directory belongs to serve
    }
}
