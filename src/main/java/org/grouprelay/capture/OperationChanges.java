package org.grouprelay.capture;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.directory.api.ldap.model.entry.Entry;
import org.apache.directory.api.ldap.model.entry.Modification;
import org.apache.directory.api.ldap.model.exception.LdapException;
import org.apache.directory.api.ldap.model.exception.LdapOtherException;
import org.grouprelay.change.ChangeSet;
import org.grouprelay.change.GroupChange;
import org.grouprelay.change.GroupRef;
import org.grouprelay.change.Origin;
import org.grouprelay.membership.GroupMembers;
import org.grouprelay.membership.NestedPolicy;
import org.grouprelay.membership.Scope;

/** The group changes of one directory operation, as capture works them out. */
final class OperationChanges {
    final Origin origin;
    final DirectoryView view;
    final Membership membership;
    private final Scope scope;
    private final NestedPolicy nested;
    final List<GroupChange> list = new ArrayList<>();
    final Set<String> unresolved = new LinkedHashSet<>();

    OperationChanges(Origin origin, DirectoryView view, Membership membership, Scope scope, NestedPolicy nested) {
        this.origin = origin;
        this.view = view;
        this.membership = membership;
        this.scope = scope;
        this.nested = nested;
    }

    void add(GroupChange change) {
        list.add(change);
    }

    /**
     * Member changes of the group at {@code norm} going from {@code before} to {@code after}
     * (empty = absent), and of every group that includes it under the nested policy.
     */
    void membership(String norm, String dn, Optional<GroupMembers> before, Optional<GroupMembers> after)
            throws LdapException {
        try {
            if (after.isPresent()) {
                Map<String, String> was = before.isPresent() ? effective(before.get(), Map.of(norm, before)) : Map.of();
                Map<String, String> is = effective(after.get(), Map.of(norm, after));
                MemberDiff.between(was, is, view, unresolved).emit(after.get().ref(), list);
            } // else: the group itself is deleted, its Seafile group goes as a whole
            if (nested.followsSubgroups()) {
                for (GroupMembers ancestor : membership.ancestors(dn, true)) {
                    MemberDiff.between(effective(ancestor, Map.of(norm, before)), effective(ancestor, Map.of(norm, after)),
                            view, unresolved).emit(ancestor.ref(), list);
                }
            }
        } catch (RuntimeException e) {
            throw new LdapOtherException("grouprelay could not work out the membership change of " + dn + ": " + e.getMessage(), e);
        }
    }

    /**
     * Member changes of a modify of the group {@code before}, worked out from the values the
     * modify adds and removes (see {@link MembershipDelta}).
     */
    void memberEdit(String norm, Entry before, List<Modification> mods) throws LdapException {
        try {
            GroupRef group = view.groupRef(before);
            GroupGraph.Link link = new GroupGraph.Link(norm, group.dn(), group.uuid());
            MemberEdit edit = MemberEdits.net(before, mods, scope);
            for (MembershipDelta.Delta delta : new MembershipDelta(scope, nested, view, unresolved).of(link, edit)) {
                GroupRef target = delta.group() == link ? group : view.groupRef(delta.group());
                MemberDiff.resolved(delta.joined(), delta.left(), view, unresolved).emit(target, list);
            }
        } catch (RuntimeException e) {
            throw new LdapOtherException("grouprelay could not work out the membership change of " + before.getDn().getName()
                    + ": " + e.getMessage(), e);
        }
    }

    private Map<String, String> effective(GroupMembers group, Map<String, Optional<GroupMembers>> overrides)
            throws LdapException {
        return membership.effectiveUsers(group, overrides, unresolved);
    }

    ChangeSet toChangeSet() {
        return new ChangeSet(origin, list, List.copyOf(unresolved));
    }
}
