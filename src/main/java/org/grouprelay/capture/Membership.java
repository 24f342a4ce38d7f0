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

    /** Where the traversal finds a subgroup's members: the live directory, or a snapshot of it. */
    @FunctionalInterface
    public interface GroupSource {
        Optional<GroupMembers> group(String norm, String dn) throws LdapException;
    }

    /** Users (normalized DN → DN as written) of {@code group}; values that are neither go to {@code unresolved}. */
    Map<String, String> effectiveUsers(GroupMembers group, Map<String, Optional<GroupMembers>> overrides,
            Set<String> unresolved) throws LdapException {
        return effectiveUsers(group, scope, policy, (norm, dn) -> view.group(norm, dn, overrides), unresolved);
    }

    /**
     * The users {@code group} stands for in Seafile under {@code policy}: direct users, plus (when
     * subgroups are followed) their users, recursively, each group once. The placeholder is skipped;
     * values that name neither a user nor a managed group go to {@code unresolved}.
     */
    public static Map<String, String> effectiveUsers(GroupMembers group, Scope scope, NestedPolicy policy, GroupSource groups,
            Set<String> unresolved) throws LdapException {
        Map<String, String> users = new LinkedHashMap<>();
        Set<String> visited = new HashSet<>();
        Deque<GroupMembers> pending = new ArrayDeque<>(List.of(group));
        visited.add(scope.norm(group.ref().dn()));
        while (!pending.isEmpty()) {
            for (Map.Entry<String, String> member : pending.pop().members().entrySet()) {
                String norm = member.getKey();
                if (scope.isPlaceholder(norm)) {
                    continue;
                }
                if (scope.isUserDn(norm)) {
                    users.put(norm, member.getValue());
                } else if (scope.isGroupDn(norm)) {
                    Optional<GroupMembers> child = groups.group(norm, member.getValue());
                    if (child.isEmpty()) {
                        unresolved.add(member.getValue());
                    } else if (policy.followsSubgroups() && visited.add(norm)) {
                        pending.push(child.get());
                    }
                } else {
                    unresolved.add(member.getValue());
                }
            }
        }
        return users;
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
