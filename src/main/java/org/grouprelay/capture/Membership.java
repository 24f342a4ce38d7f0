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
import org.apache.directory.api.ldap.model.entry.Entry;
import org.apache.directory.api.ldap.model.exception.LdapException;
import org.grouprelay.membership.Scope;
import org.grouprelay.membership.NestedPolicy;
import org.grouprelay.membership.GroupMembers;
import org.grouprelay.membership.EffectiveUsers;

/**
 * Effective membership under the nested-group policy: the users a group stands for in Seafile,
 * and the groups whose effective membership depends on a given group. Cycles (A member of B
 * member of A) are followed once and stop.
 */
public final class Membership {
    private final DirectoryView view;
    private final Scope scope;
    private final NestedPolicy policy;

    Membership(DirectoryView view, Scope scope, NestedPolicy policy) {
        this.view = view;
        this.scope = scope;
        this.policy = policy;
    }

    /** Users (normalized DN → DN as written) of {@code group}; values that are neither go to {@code unresolved}. */
    Map<String, String> effectiveUsers(GroupMembers group, Map<String, Optional<GroupMembers>> overrides,
            Set<String> unresolved) throws LdapException {
        return EffectiveUsers.of(group, scope, policy, (norm, dn) -> view.group(norm, dn, overrides), unresolved);
    }

    /** Managed groups that list {@code dn} directly. */
    List<Entry> directParents(String dn) throws LdapException {
        List<Entry> parents = new ArrayList<>();
        for (Entry entry : view.groupsListing(dn)) {
            if (scope.isGroup(entry.getDn(), entry)) {
                parents.add(entry);
            }
        }
        return parents;
    }

    /**
     * Groups whose effective membership includes what {@code dn} contributes: its direct parents and,
     * when subgroups are followed, their ancestors. Ordered nearest first, each once.
     */
    List<GroupMembers> ancestors(String dn, boolean includeIndirect) throws LdapException {
        Map<String, GroupMembers> found = new LinkedHashMap<>();
        Deque<String> pending = new ArrayDeque<>(List.of(dn));
        Set<String> seen = new HashSet<>(Set.of(scope.norm(dn)));
        boolean first = true;
        while (!pending.isEmpty()) {
            String current = pending.pop();
            if (!first && !(includeIndirect && policy.followsSubgroups())) {
                break;
            }
            first = false;
            for (Entry parent : directParents(current)) {
                String norm = scope.norm(parent.getDn().getName());
                if (seen.add(norm)) {
                    found.put(norm, view.group(parent));
                    pending.add(parent.getDn().getName());
                }
            }
        }
        return new ArrayList<>(found.values());
    }
}
