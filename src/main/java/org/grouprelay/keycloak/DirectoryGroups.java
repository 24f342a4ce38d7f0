package org.grouprelay.keycloak;

import org.apache.directory.api.ldap.model.entry.Attribute;
import org.apache.directory.api.ldap.model.entry.DefaultEntry;
import org.apache.directory.api.ldap.model.entry.DefaultModification;
import org.apache.directory.api.ldap.model.entry.Entry;
import org.apache.directory.api.ldap.model.entry.Modification;
import org.apache.directory.api.ldap.model.entry.ModificationOperation;
import org.grouprelay.directory.GrouprelaySchema;
import org.apache.directory.api.ldap.model.exception.LdapException;
import org.apache.directory.api.ldap.model.name.Dn;
import org.apache.directory.api.ldap.model.name.Rdn;
import org.apache.directory.api.ldap.model.schema.SchemaManager;
import org.apache.directory.server.core.api.CoreSession;
import org.apache.directory.server.core.api.DirectoryService;

/**
 * The directory's groups as Keycloak's group mapper lays them out ({@code cn=<group name>,<groupsDn>},
 * subgroups as {@code member} values of their parent), changed through the directory's own admin session:
 * the writes pass the capture interceptor, so the relay carries them to Seafile like any LDAP client's.
 */
public final class DirectoryGroups {
    /** What a change did. */
    public enum Outcome {
        DONE, NOT_IN_DIRECTORY, NAME_TAKEN, NOTHING_TO_DO
    }

    private final DirectoryService service;
    private final String groupsDn;
    private final String placeholder;

    public DirectoryGroups(DirectoryService service, String groupsDn, String placeholder) {
        this.service = service;
        this.groupsDn = groupsDn;
        this.placeholder = placeholder;
    }

    public String dn(String name) {
        return "cn=" + Rdn.escapeValue(name) + "," + groupsDn;
    }

    public boolean exists(String name) throws LdapException {
        return session().exists(parse(dn(name)));
    }

    /** Renames {@code cn=from} to {@code cn=to} (modDN); the entry keeps its entryUUID, so Seafile renames its group. */
    public Outcome rename(String from, String to) throws LdapException {
        if (from.equals(to)) {
            return Outcome.NOTHING_TO_DO;
        }
        if (!exists(from)) {
            return Outcome.NOT_IN_DIRECTORY;
        }
        if (!from.equalsIgnoreCase(to) && exists(to)) {
            return Outcome.NAME_TAKEN;
        }
        session().rename(parse(dn(from)), new Rdn(schema(), "cn=" + Rdn.escapeValue(to)), true);
        return Outcome.DONE;
    }

    /**
     * Sets (or, when empty, removes) {@code grouprelayMembershipDays} on group {@code name}, adding the auxiliary class
     * {@code grouprelayExpiringGroup} the attribute needs.
     */
    public Outcome membershipDays(String name, java.util.Optional<Integer> days) throws LdapException {
        Dn dn = parse(dn(name));
        if (!session().exists(dn)) {
            return Outcome.NOT_IN_DIRECTORY;
        }
        Entry entry = session().lookup(dn, "*");
        String attribute = GrouprelaySchema.MEMBERSHIP_DAYS;
        String current = entry.get(attribute) == null ? null : entry.get(attribute).getString();
        if (java.util.Objects.equals(current, days.map(String::valueOf).orElse(null))) {
            return Outcome.NOTHING_TO_DO;
        }
        java.util.List<Modification> mods = new java.util.ArrayList<>();
        if (days.isPresent() && !entry.hasObjectClass(GrouprelaySchema.EXPIRING_GROUP)) {
            mods.add(new DefaultModification(
                    ModificationOperation.ADD_ATTRIBUTE, "objectClass",
                    GrouprelaySchema.EXPIRING_GROUP));
        }
        mods.add(days.isPresent()
                ? new DefaultModification(
                        ModificationOperation.REPLACE_ATTRIBUTE, attribute, String.valueOf(days.get()))
                : new DefaultModification(
                        ModificationOperation.REMOVE_ATTRIBUTE, attribute));
        session().modify(entry.getDn(), mods);
        return Outcome.DONE;
    }

    public Outcome delete(String name) throws LdapException {
        if (!exists(name)) {
            return Outcome.NOT_IN_DIRECTORY;
        }
        session().delete(parse(dn(name)));
        return Outcome.DONE;
    }

    /** Removes subgroup {@code child} from {@code parent}'s members. */
    public Outcome unlink(String child, String parent) throws LdapException {
        Entry entry = lookup(parent);
        if (entry == null) {
            return Outcome.NOT_IN_DIRECTORY;
        }
        Attribute member = entry.get("member");
        if (member == null || !member.contains(dn(child))) {
            return Outcome.NOTHING_TO_DO;
        }
        session().modify(entry.getDn(), new DefaultModification(ModificationOperation.REMOVE_ATTRIBUTE, "member", dn(child)));
        return Outcome.DONE;
    }

    /**
     * Makes {@code child} a subgroup of {@code parent}, as Keycloak's mapper does: a {@code member} value on the
     * parent, which is added with the placeholder member if it is not in the directory yet.
     */
    public Outcome link(String child, String parent) throws LdapException {
        if (!exists(child)) {
            return Outcome.NOT_IN_DIRECTORY;
        }
        Entry entry = lookup(parent);
        if (entry == null) {
            session().add(new DefaultEntry(schema(), parse(dn(parent)), "objectClass: top", "objectClass: groupOfNames",
                    "cn", parent, "member", placeholder, "member", dn(child)));
            return Outcome.DONE;
        }
        Attribute member = entry.get("member");
        if (member != null && member.contains(dn(child))) {
            return Outcome.NOTHING_TO_DO;
        }
        session().modify(entry.getDn(), new DefaultModification(ModificationOperation.ADD_ATTRIBUTE, "member", dn(child)));
        return Outcome.DONE;
    }

    private Entry lookup(String name) throws LdapException {
        Dn dn = parse(dn(name));
        return session().exists(dn) ? session().lookup(dn, "member", "cn") : null;
    }

    private Dn parse(String dn) throws LdapException {
        return new Dn(schema(), dn);
    }

    private SchemaManager schema() {
        return service.getSchemaManager();
    }

    private CoreSession session() {
        return service.getAdminSession();
    }
}
