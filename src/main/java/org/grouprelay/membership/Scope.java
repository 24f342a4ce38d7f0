package org.grouprelay.membership;

import org.apache.directory.api.ldap.model.entry.Entry;
import org.apache.directory.api.ldap.model.entry.Value;
import org.apache.directory.api.ldap.model.exception.LdapException;
import org.apache.directory.api.ldap.model.name.Dn;
import org.apache.directory.api.ldap.model.schema.AttributeType;
import org.apache.directory.api.ldap.model.schema.SchemaManager;

/**
 * Which entries are managed: users one or more levels below peopleDn, groupOfNames groups below
 * groupsDn. DNs are compared in ApacheDS's normalized form (OIDs, case-folded values), so
 * {@code UID=Alice, OU=People,...} and {@code uid=alice,ou=people,...} are the same member.
 */
public final class Scope {
    private final SchemaManager schemaManager;
    private final Dn peopleDn;
    private final Dn groupsDn;
    private final String peopleSuffix;
    private final String groupsSuffix;
    private final String placeholder;
    private final String placeholderValue;
    private final AttributeType member;

    public Scope(SchemaManager schemaManager, String peopleDn, String groupsDn, String placeholder) throws LdapException {
        this.schemaManager = schemaManager;
        this.peopleDn = new Dn(schemaManager, peopleDn);
        this.groupsDn = new Dn(schemaManager, groupsDn);
        this.member = schemaManager.getAttributeType("member");
        this.peopleSuffix = "," + norm(peopleDn);
        this.groupsSuffix = "," + norm(groupsDn);
        this.placeholder = norm(placeholder);
        this.placeholderValue = placeholder;
    }

    /** The normalized form of a DN string, as ApacheDS stores it for {@code member} values. */
    public String norm(String dn) throws LdapException {
        return new Value(member, dn).getNormalized();
    }

    public Dn dn(String dn) throws LdapException {
        return new Dn(schemaManager, dn);
    }

    public AttributeType memberType() {
        return member;
    }

    public SchemaManager schemaManager() {
        return schemaManager;
    }

    public Dn peopleDn() {
        return peopleDn;
    }

    public Dn groupsDn() {
        return groupsDn;
    }

    public boolean isPlaceholder(String norm) {
        return placeholder.equals(norm);
    }

    /** The configured placeholder's DN, as written into a group that would otherwise have no member. */
    public String placeholderValue() {
        return placeholderValue;
    }

    public boolean isUserDn(String norm) {
        return norm.endsWith(peopleSuffix);
    }

    public boolean isGroupDn(String norm) {
        return norm.endsWith(groupsSuffix);
    }

    public boolean isUser(Dn dn) {
        return dn.isDescendantOf(peopleDn);
    }

    public boolean isGroup(Dn dn, Entry entry) {
        return dn.isDescendantOf(groupsDn) && entry != null && entry.hasObjectClass("groupOfNames");
    }
}
