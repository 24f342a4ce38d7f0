package org.grouprelay.capture;

import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.ArrayList;
import org.apache.directory.api.ldap.model.constants.SchemaConstants;
import org.apache.directory.api.ldap.model.cursor.CursorException;
import org.apache.directory.api.ldap.model.entry.Attribute;
import org.apache.directory.api.ldap.model.entry.Entry;
import org.apache.directory.api.ldap.model.entry.Value;
import org.apache.directory.api.ldap.model.exception.LdapException;
import org.apache.directory.api.ldap.model.exception.LdapNoSuchObjectException;
import org.apache.directory.api.ldap.model.filter.AndNode;
import org.apache.directory.api.ldap.model.filter.EqualityNode;
import org.apache.directory.api.ldap.model.message.AliasDerefMode;
import org.apache.directory.api.ldap.model.message.SearchScope;
import org.apache.directory.api.ldap.model.name.Dn;
import org.apache.directory.server.core.api.CoreSession;
import org.apache.directory.api.ldap.model.cursor.Cursor;
import org.grouprelay.change.GroupRef;
import org.grouprelay.change.UserRef;
import org.grouprelay.membership.Scope;
import org.grouprelay.membership.GroupMembers;

/**
 * Reads the directory for one operation (as the internal admin session, so access control does not
 * hide members from the relay), caching what it read. Overrides describe a group as it is before or
 * after the operation being captured; {@link Optional#empty()} means "does not exist".
 */
final class DirectoryView implements GroupGraph {
    private final CoreSession session;
    private final Scope scope;
    private final List<String> userAttributes;
    private final Map<String, Optional<GroupMembers>> groups = new HashMap<>();
    /** The users this view read (all of them, for one operation), and the capture's cache across operations. */
    private final Map<String, Optional<UserRef>> users = new HashMap<>();
    private final Optional<UserCache> shared;
    private final GroupIds groupIds;
    private final Map<String, List<Link>> listings = new HashMap<>();
    private MemberIndex memberIndex;
    private boolean memberIndexOpened;

    DirectoryView(CoreSession session, Scope scope, List<String> userAttributes) {
        this(session, scope, userAttributes, Optional.empty(), new GroupIds());
    }

    /**
     * With {@code shared} consulted for users this view has not read, and {@code groupIds} for the classes of
     * entries that list a member (the capture's, which forget what a write may change).
     */
    DirectoryView(CoreSession session, Scope scope, List<String> userAttributes, Optional<UserCache> shared, GroupIds groupIds) {
        this.session = session;
        this.scope = scope;
        this.userAttributes = userAttributes;
        this.shared = shared;
        this.groupIds = groupIds;
    }

    /** The managed group at {@code norm} (a normalized DN), honouring {@code overrides}. */
    Optional<GroupMembers> group(String norm, String dn, Map<String, Optional<GroupMembers>> overrides) throws LdapException {
        if (overrides.containsKey(norm)) {
            return overrides.get(norm);
        }
        if (!scope.isGroupDn(norm)) {
            return Optional.empty();
        }
        Optional<GroupMembers> cached = groups.get(norm);
        if (cached == null) {
            Entry entry = lookup(scope.dn(dn));
            cached = entry != null && scope.isGroup(entry.getDn(), entry) ? Optional.of(group(entry)) : Optional.empty();
            groups.put(norm, cached);
        }
        return cached;
    }

    @Override
    public Optional<GroupMembers> group(String norm, String dn) throws LdapException {
        return group(norm, dn, Map.of());
    }

    @Override
    public List<Link> listing(String norm) throws LdapException {
        List<Link> cached = listings.get(norm);
        if (cached == null) {
            if (!memberIndexOpened) {
                memberIndex = MemberIndex.of(session.getDirectoryService(), scope, groupIds);
                memberIndexOpened = true;
            }
            cached = memberIndex != null ? memberIndex.listing(norm) : searchListing(norm);
            listings.put(norm, cached);
        }
        return cached;
    }

    private List<Link> searchListing(String norm) throws LdapException {
        List<Link> links = new ArrayList<>();
        for (Entry entry : groupsListing(norm)) {
            if (scope.isGroup(entry.getDn(), entry)) {
                links.add(new Link(scope.norm(entry.getDn().getName()), entry.getDn().getName(), groupRef(entry).uuid()));
            }
        }
        return links;
    }

    /** The reference of a listed group; reads the entry only when the group's name is not its RDN's cn. */
    GroupRef groupRef(Link link) throws LdapException {
        Dn dn = scope.dn(link.dn());
        if (!namedByRdn(dn)) {
            Optional<GroupMembers> group = group(link.norm(), link.dn());
            if (group.isPresent()) {
                return group.get().ref();
            }
        }
        return new GroupRef(link.uuid(), link.dn(), groupName(dn, null));
    }

    GroupMembers group(Entry entry) throws LdapException {
        return new GroupMembers(groupRef(entry), members(entry));
    }

    GroupRef groupRef(Entry entry) throws LdapException {
        Attribute uuid = entry.get(SchemaConstants.ENTRY_UUID_AT);
        return new GroupRef(uuid == null ? "" : uuid.getString(), entry.getDn().getName(), groupName(entry.getDn(), entry));
    }

    /** The name Seafile shows: the RDN's cn value, else the first cn. */
    static String groupName(Dn dn, Entry entry) throws LdapException {
        if (namedByRdn(dn)) {
            return dn.getRdn().getValue();
        }
        Attribute cn = entry == null ? null : entry.get("cn");
        return cn == null ? dn.getRdn().getValue() : cn.getString();
    }

    private static boolean namedByRdn(Dn dn) {
        return dn.getRdn().getType().equalsIgnoreCase("cn") || dn.getRdn().getType().equals("2.5.4.3");
    }

    Map<String, String> members(Entry entry) throws LdapException {
        Map<String, String> members = new LinkedHashMap<>();
        Attribute member = entry.get(scope.memberType());
        if (member != null) {
            for (Value value : member) {
                members.put(value.getNormalized(), value.getString());
            }
        }
        return members;
    }

    /** A snapshot of the user at {@code dn}, or empty when no such entry exists. */
    Optional<UserRef> user(String norm, String dn) throws LdapException {
        Optional<UserRef> cached = users.get(norm);
        if (cached == null) {
            cached = shared.map(cache -> cache.get(norm)).orElse(null);
            if (cached == null) {
                Entry entry = scope.isUserDn(norm) ? lookup(scope.dn(dn)) : null;
                Optional<UserRef> read = entry == null ? Optional.empty() : Optional.of(userRef(entry));
                shared.ifPresent(cache -> cache.put(norm, read));
                cached = read;
            }
            users.put(norm, cached);
        }
        return cached;
    }

    UserRef userRef(Entry entry) {
        Map<String, String> snapshot = new HashMap<>();
        for (String name : userAttributes) {
            Attribute attribute = entry.get(name);
            if (attribute != null && attribute.get() != null) {
                snapshot.put(name.toLowerCase(Locale.ROOT), attribute.get().getString());
            }
        }
        return new UserRef(entry.getDn().getName(), snapshot);
    }

    /** Groups under groupsDn with a {@code member} value equal to {@code dn}. */
    List<Entry> groupsListing(String dn) throws LdapException {
        AndNode filter = new AndNode(
                new EqualityNode<>(scope.memberType(), new Value(scope.memberType(), dn)),
                new EqualityNode<>(scope.schemaManager().getAttributeType(SchemaConstants.OBJECT_CLASS_AT),
                        new Value(scope.schemaManager().getAttributeType(SchemaConstants.OBJECT_CLASS_AT), "groupOfNames")));
        List<Entry> found = new ArrayList<>();
        try (Cursor<Entry> cursor = session.search(scope.groupsDn(), SearchScope.SUBTREE, filter,
                AliasDerefMode.NEVER_DEREF_ALIASES, "*", SchemaConstants.ENTRY_UUID_AT)) {
            while (cursor.next()) {
                found.add(cursor.get());
            }
        } catch (CursorException | IOException e) {
            throw new LdapException("searching groups that list " + dn + ": " + e.getMessage(), e);
        }
        return found;
    }

    private Entry lookup(Dn dn) throws LdapException {
        try {
            return session.lookup(dn, "*", SchemaConstants.ENTRY_UUID_AT);
        } catch (LdapNoSuchObjectException e) {
            return null;
        }
    }

    Set<String> userAttributes() {
        return Set.copyOf(userAttributes);
    }
}
