package org.grouprelay.membership;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.directory.api.ldap.model.exception.LdapException;

/**
 * Effective membership under the nested-group policy: the users a group stands for in a target.
 * Cycles (A member of B member of A) are followed once and stop. Capture and the consistency check
 * share it, each with its own way of finding a subgroup.
 */
public final class EffectiveUsers {
    private EffectiveUsers() {
    }

    /** Where the traversal finds a subgroup's members: the live directory, or a snapshot of it. */
    @FunctionalInterface
    public interface GroupSource {
        Optional<GroupMembers> group(String norm, String dn) throws LdapException;
    }

    /**
     * The users {@code group} stands for in Seafile under {@code policy}: direct users, plus (when
     * subgroups are followed) their users, recursively, each group once. The placeholder is skipped;
     * values that name neither a user nor a managed group go to {@code unresolved}.
     */
    public static Map<String, String> of(GroupMembers group, Scope scope, NestedPolicy policy, GroupSource groups,
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
}
