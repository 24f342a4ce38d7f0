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

    /**
     * How many entries lie below {@code base} (ApacheDS's {@code nbSubordinates}; the base itself not counted), or -1
     * when the directory does not say.
     */
    long subordinates(String base) throws LdapException;

    SchemaManager schemaManager();

    /** ApacheDS's count of the entries below an entry. */
    String SUBORDINATES = "nbSubordinates";

    /** The value of a count attribute, or -1 when it is absent or not a number. */
    static long count(org.apache.directory.api.ldap.model.entry.Attribute attribute) {
        try {
            return attribute == null || attribute.get() == null ? -1 : Long.parseLong(attribute.getString().strip());
        } catch (NumberFormatException | org.apache.directory.api.ldap.model.exception.LdapInvalidAttributeValueException e) {
            return -1;
        }
    }

    @Override
    void close();
}
