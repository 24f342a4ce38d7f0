package org.grouprelay.capture;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.directory.api.ldap.model.constants.SchemaConstants;
import org.apache.directory.api.ldap.model.cursor.Cursor;
import org.apache.directory.api.ldap.model.cursor.CursorException;
import org.apache.directory.api.ldap.model.entry.Entry;
import org.apache.directory.api.ldap.model.entry.Value;
import org.apache.directory.api.ldap.model.filter.EqualityNode;
import org.apache.directory.api.ldap.model.message.AliasDerefMode;
import org.apache.directory.api.ldap.model.message.SearchScope;
import org.apache.directory.api.ldap.model.schema.AttributeType;
import org.apache.directory.server.core.api.DirectoryService;
import org.grouprelay.change.GroupReader;
import org.grouprelay.directory.ReadLocked;
import org.grouprelay.change.UserRef;
import org.grouprelay.membership.Scope;
import org.grouprelay.membership.GroupMembers;
import org.grouprelay.membership.MembershipRules;
import org.grouprelay.membership.EffectiveUsers;

/**
 * A managed group as the running directory holds it now, found by entryUUID: its current name and
 * its effective users under the nested-group policy, read as the internal admin session.
 */
final class LiveGroupReader implements GroupReader {
    private final DirectoryService service;
    private final Scope scope;
    private final MembershipRules settings;

    LiveGroupReader(DirectoryService service, Scope scope, MembershipRules settings) {
        this.service = service;
        this.scope = scope;
        this.settings = settings;
    }

    /** Reads under the directory's read lock, held throughout ({@link ReadLocked}). */
    @Override
    public Optional<GroupState> read(String uuid) throws Exception {
        return ReadLocked.read(service.getOperationManager(), () -> readLocked(uuid));
    }

    /** Every value of {@code attribute} on entries below peopleDn, lower-cased; under the read lock, as {@link #read}. */
    @Override
    public java.util.Set<String> userValues(String attribute) throws Exception {
        return ReadLocked.read(service.getOperationManager(), () -> userValuesLocked(attribute));
    }

    private java.util.Set<String> userValuesLocked(String attribute) throws Exception {
        java.util.Set<String> values = new java.util.HashSet<>();
        try (Cursor<Entry> cursor = service.getAdminSession().search(scope.peopleDn(), SearchScope.SUBTREE,
                new org.apache.directory.api.ldap.model.filter.PresenceNode(scope.schemaManager().getAttributeType(attribute)),
                AliasDerefMode.NEVER_DEREF_ALIASES, attribute)) {
            while (cursor.next()) {
                org.apache.directory.api.ldap.model.entry.Attribute value = cursor.get().get(attribute);
                if (value != null && value.getString() != null) {
                    values.add(value.getString().toLowerCase(java.util.Locale.ROOT));
                }
            }
            return values;
        }
    }

    private Optional<GroupState> readLocked(String uuid) throws Exception {
        DirectoryView view = new DirectoryView(service.getAdminSession(), scope, settings.userAttributes());
        Optional<Entry> entry = find(uuid);
        if (entry.isEmpty() || !scope.isGroup(entry.get().getDn(), entry.get())) {
            return Optional.empty();
        }
        GroupMembers group = view.group(entry.get());
        Map<String, String> effective = EffectiveUsers.of(group, scope, settings.nested(),
                (norm, dn) -> view.group(norm, dn, Map.of()), new HashSet<>());
        List<UserRef> users = new ArrayList<>();
        for (Map.Entry<String, String> user : effective.entrySet()) {
            view.user(user.getKey(), user.getValue()).ifPresent(users::add);
        }
        return Optional.of(new GroupState(group.ref(), users));
    }

    private Optional<Entry> find(String uuid) throws Exception {
        AttributeType type = scope.schemaManager().getAttributeType(SchemaConstants.ENTRY_UUID_AT);
        try (Cursor<Entry> cursor = service.getAdminSession().search(scope.groupsDn(), SearchScope.SUBTREE,
                new EqualityNode<>(type, new Value(type, uuid)), AliasDerefMode.NEVER_DEREF_ALIASES, "*", SchemaConstants.ENTRY_UUID_AT)) {
            return cursor.next() ? Optional.of(cursor.get()) : Optional.empty();
        } catch (CursorException | IOException e) {
            throw new IllegalStateException("searching the group with entryUUID " + uuid + ": " + e.getMessage(), e);
        }
    }
}
