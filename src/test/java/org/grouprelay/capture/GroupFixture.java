package org.grouprelay.capture;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.apache.directory.api.ldap.model.entry.Attribute;
import org.apache.directory.api.ldap.model.entry.DefaultAttribute;
import org.apache.directory.api.ldap.model.entry.DefaultEntry;
import org.apache.directory.api.ldap.model.entry.DefaultModification;
import org.apache.directory.api.ldap.model.entry.Entry;
import org.apache.directory.api.ldap.model.entry.Modification;
import org.apache.directory.api.ldap.model.entry.ModificationOperation;
import org.apache.directory.api.ldap.model.entry.Value;
import org.apache.directory.api.ldap.model.exception.LdapException;
import org.apache.directory.api.ldap.model.schema.SchemaManager;
import org.apache.directory.api.ldap.schema.manager.impl.DefaultSchemaManager;
import org.grouprelay.change.GroupRef;
import org.grouprelay.membership.Scope;
import org.grouprelay.membership.NestedPolicy;
import org.grouprelay.membership.GroupMembers;
import org.grouprelay.membership.EffectiveUsers;

/**
 * Groups held in memory as ApacheDS entries, read the way capture reads the directory, plus the
 * reference the membership delta must equal: the full rebuild capture used before (apply the
 * modifications to a copy of the member list, diff the whole effective memberships of the group
 * and of each ancestor).
 */
final class GroupFixture implements GroupGraph {
    static final String PEOPLE = "ou=people,dc=example,dc=org";
    static final String GROUPS = "ou=groups,dc=example,dc=org";
    static final String PLACEHOLDER = "cn=empty-membership-placeholder";
    static final SchemaManager SCHEMA = schema();

    final Scope scope;
    /** Groups by normalized DN, in creation order (the order listings answer in). */
    final Map<String, Entry> groups = new LinkedHashMap<>();

    GroupFixture() throws LdapException {
        scope = new Scope(SCHEMA, PEOPLE, GROUPS, PLACEHOLDER);
    }

    private static SchemaManager schema() {
        try {
            return new DefaultSchemaManager();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String user(String uid) {
        return "uid=" + uid + "," + PEOPLE;
    }

    static String group(String cn) {
        return "cn=" + cn + "," + GROUPS;
    }

    /** Adds (or replaces) the group {@code cn} with the placeholder and {@code members} as its values. */
    Entry put(String cn, String... members) throws LdapException {
        Entry entry = new DefaultEntry(SCHEMA, group(cn));
        entry.add("objectClass", "top", "groupOfNames");
        entry.add("cn", cn);
        entry.add("entryUUID", UUID.nameUUIDFromBytes(cn.getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString());
        entry.add("member", PLACEHOLDER);
        for (String member : members) {
            entry.add("member", member);
        }
        groups.put(scope.norm(entry.getDn().getName()), entry);
        return entry;
    }

    Entry entry(String cn) throws LdapException {
        return groups.get(scope.norm(group(cn)));
    }

    static Modification mod(ModificationOperation op, String... values) throws LdapException {
        return new DefaultModification(op, new DefaultAttribute(SCHEMA.getAttributeType("member"), values));
    }

    static Map<String, String> members(Entry entry) {
        Map<String, String> members = new LinkedHashMap<>();
        Attribute member = entry.get("member");
        if (member != null) {
            for (Value value : member) {
                members.put(value.getNormalized(), value.getString());
            }
        }
        return members;
    }

    static GroupRef ref(Entry entry) throws LdapException {
        return new GroupRef(entry.get("entryUUID").getString(), entry.getDn().getName(), entry.getDn().getRdn().getValue());
    }

    Link link(Entry entry) throws LdapException {
        return new Link(scope.norm(entry.getDn().getName()), entry.getDn().getName(), entry.get("entryUUID").getString());
    }

    @Override
    public Optional<GroupMembers> group(String norm, String dn) throws LdapException {
        Entry entry = scope.isGroupDn(norm) ? groups.get(norm) : null;
        return entry == null ? Optional.empty() : Optional.of(new GroupMembers(ref(entry), members(entry)));
    }

    @Override
    public List<Link> listing(String norm) throws LdapException {
        List<Link> links = new ArrayList<>();
        for (Entry entry : groups.values()) {
            if (members(entry).containsKey(norm)) {
                links.add(link(entry));
            }
        }
        return links;
    }

    /** The new way: the net edit of {@code mods} and the delta it makes, finding inclusion {@code way}. */
    List<MembershipDelta.Delta> delta(String cn, List<Modification> mods, NestedPolicy policy, Set<String> unresolved,
            MembershipDelta.Way way) throws LdapException {
        Entry before = entry(cn);
        return new MembershipDelta(scope, policy, this, unresolved, way).of(link(before), MemberEdits.net(before, mods, scope));
    }

    /** The old way, as the reference: group first, then ancestors nearest first; groups without change left out. */
    List<MembershipDelta.Delta> fullRebuild(String cn, List<Modification> mods, NestedPolicy policy, Set<String> unresolved)
            throws LdapException {
        Entry entry = entry(cn);
        String norm = scope.norm(entry.getDn().getName());
        GroupMembers old = new GroupMembers(ref(entry), members(entry));
        GroupMembers updated = new GroupMembers(old.ref(), apply(old.members(), mods));
        List<Link> targets = new ArrayList<>(List.of(link(entry)));
        if (policy.followsSubgroups()) {
            targets.addAll(ancestors(norm));
        }
        List<MembershipDelta.Delta> deltas = new ArrayList<>();
        for (Link target : targets) {
            GroupMembers group = target.norm().equals(norm) ? null : group(target.norm(), target.dn()).orElseThrow();
            Map<String, String> was = effective(group == null ? old : group, norm, old, policy, unresolved);
            Map<String, String> is = effective(group == null ? updated : group, norm, updated, policy, unresolved);
            MembershipDelta.Delta delta = new MembershipDelta.Delta(target, new LinkedHashMap<>(), new LinkedHashMap<>());
            is.forEach((user, dn) -> {
                if (!was.containsKey(user)) {
                    delta.joined().put(user, dn);
                }
            });
            was.forEach((user, dn) -> {
                if (!is.containsKey(user)) {
                    delta.left().put(user, dn);
                }
            });
            if (!delta.isEmpty()) {
                deltas.add(delta);
            }
        }
        return deltas;
    }

    private Map<String, String> effective(GroupMembers group, String norm, GroupMembers override, NestedPolicy policy,
            Set<String> unresolved) throws LdapException {
        return EffectiveUsers.of(group, scope, policy,
                (n, dn) -> n.equals(norm) ? Optional.of(override) : group(n, dn), unresolved);
    }

    private List<Link> ancestors(String norm) throws LdapException {
        List<Link> found = new ArrayList<>();
        Set<String> seen = new HashSet<>(Set.of(norm));
        Deque<String> pending = new ArrayDeque<>(List.of(norm));
        while (!pending.isEmpty()) {
            for (Link parent : listing(pending.pop())) {
                if (seen.add(parent.norm())) {
                    found.add(parent);
                    pending.add(parent.norm());
                }
            }
        }
        return found;
    }

    /** The member values after {@code mods}, as capture computed them before: a full updated copy. */
    private Map<String, String> apply(Map<String, String> before, List<Modification> mods) throws LdapException {
        Map<String, String> after = new LinkedHashMap<>(before);
        for (Modification mod : mods) {
            switch (mod.getOperation()) {
                case ADD_ATTRIBUTE -> put(after, mod.getAttribute());
                case REPLACE_ATTRIBUTE -> {
                    after.clear();
                    put(after, mod.getAttribute());
                }
                case REMOVE_ATTRIBUTE -> {
                    if (mod.getAttribute().size() == 0) {
                        after.clear();
                    }
                    for (Value value : mod.getAttribute()) {
                        after.remove(scope.norm(value.getString()));
                    }
                }
                default -> throw new IllegalStateException();
            }
        }
        return after;
    }

    private void put(Map<String, String> members, Attribute attribute) throws LdapException {
        for (Value value : attribute) {
            members.put(scope.norm(value.getString()), value.getString());
        }
    }
}
