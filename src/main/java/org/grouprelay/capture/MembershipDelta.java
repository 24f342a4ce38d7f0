package org.grouprelay.capture;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.directory.api.ldap.model.exception.LdapException;
import org.grouprelay.membership.Scope;
import org.grouprelay.membership.NestedPolicy;
import org.grouprelay.membership.GroupMembers;
import org.grouprelay.membership.EffectiveUsers;

/**
 * Who joins and who leaves the effective membership (see {@link Membership}) of a group, and of
 * every group that includes it under the nested policy, when a modify adds or removes some of its
 * member values. Worked out from those values alone, so the cost follows the size of the change,
 * not of the groups:
 * <ol>
 * <li>Candidates: the users among the changed values and, under {@code flatten}, the users of the
 * subgroups among them (recursively, each group once, not through the modified group itself). No
 * other user's membership can change: any other path to a user also exists after the change.</li>
 * <li>For each candidate, the groups that include it before and after the change, found upwards
 * from the groups that list it ({@link GroupGraph#listing}). "After" is "before" with the modified
 * group's listing of the changed values swapped. A candidate joins a group that includes it only
 * after, and leaves one that includes it only before; one that stays reachable through another
 * subgroup (or directly) does neither.</li>
 * </ol>
 * The result equals diffing the full effective memberships before and after. An index lookup costs
 * about as much as visiting a hundred members in memory, so with many candidates for the group's
 * size (a bulk add, a REPLACE that changes much) step 2 compares the whole effective memberships of
 * the group and its ancestors instead, with the same answer (see {@link Way}). Values that name
 * neither a user nor a managed group are reported as unresolved when they are among the changed
 * values or in the changed subgroups.
 */
final class MembershipDelta {
    /** Users (normalized DN → DN as written) who joined and left {@code group}'s effective membership. */
    record Delta(GroupGraph.Link group, Map<String, String> joined, Map<String, String> left) {
        boolean isEmpty() {
            return joined.isEmpty() && left.isEmpty();
        }
    }

    /** How step 2 finds which groups include a candidate. */
    enum Way {
        /** Upwards from each candidate through the groups listing it. */
        UPWARDS,
        /** From the whole effective memberships of the group and its ancestors. */
        DOWNWARDS,
        /** Upwards for up to 32 candidates, or one per 64 values the group had; else downwards. */
        BY_COST;

        boolean upwards(int candidates, MemberEdit edit) {
            return this == UPWARDS || this == BY_COST && (candidates <= 32 || candidates <= edit.valuesBefore() / 64);
        }
    }

    private final Scope scope;
    private final NestedPolicy policy;
    private final GroupGraph graph;
    private final Set<String> unresolved;
    private final Way way;

    MembershipDelta(Scope scope, NestedPolicy policy, GroupGraph graph, Set<String> unresolved) {
        this(scope, policy, graph, unresolved, Way.BY_COST);
    }

    MembershipDelta(Scope scope, NestedPolicy policy, GroupGraph graph, Set<String> unresolved, Way way) {
        this.scope = scope;
        this.policy = policy;
        this.graph = graph;
        this.unresolved = unresolved;
        this.way = way;
    }

    /** Whether {@code target}'s effective membership includes {@code user} (normalized DNs). */
    @FunctionalInterface
    private interface Inclusion {
        boolean includes(String user, String target);
    }

    /**
     * The changes of {@code group} (first) and of the groups that include it (nearest first, under
     * {@code flatten}) when its member values change by {@code edit}; groups without change left out.
     */
    List<Delta> of(GroupGraph.Link group, MemberEdit edit) throws LdapException {
        Map<String, String> candidates = candidates(group, edit);
        if (candidates.isEmpty()) {
            return List.of();
        }
        List<GroupGraph.Link> targets = new ArrayList<>(List.of(group));
        if (policy.followsSubgroups()) {
            targets.addAll(ancestors(group));
        }
        Inclusion before;
        Inclusion after;
        if (!policy.followsSubgroups()) {
            before = (user, target) -> edit.removed().containsKey(user);
            after = (user, target) -> edit.added().containsKey(user);
        } else if (way.upwards(candidates.size(), edit)) {
            before = upwards(candidates.keySet(), group, edit, false);
            after = upwards(candidates.keySet(), group, edit, true);
        } else {
            before = downwards(targets, group, edit, false);
            after = downwards(targets, group, edit, true);
        }
        List<Delta> deltas = new ArrayList<>();
        for (GroupGraph.Link target : targets) {
            Delta delta = new Delta(target, new LinkedHashMap<>(), new LinkedHashMap<>());
            for (Map.Entry<String, String> user : candidates.entrySet()) {
                boolean was = before.includes(user.getKey(), target.norm());
                boolean is = after.includes(user.getKey(), target.norm());
                if (is && !was) {
                    delta.joined().put(user.getKey(), user.getValue());
                } else if (was && !is) {
                    delta.left().put(user.getKey(), user.getValue());
                }
            }
            if (!delta.isEmpty()) {
                deltas.add(delta);
            }
        }
        return deltas;
    }

    /**
     * Users whose membership may change: the changed values that are users, then the users of the
     * changed subgroups (under {@code flatten}), in the order a traversal of the group meets them.
     * The placeholder is skipped; values that are neither users nor managed groups go to unresolved.
     */
    private Map<String, String> candidates(GroupGraph.Link group, MemberEdit edit) throws LdapException {
        Map<String, String> users = new LinkedHashMap<>();
        Deque<GroupMembers> pending = new ArrayDeque<>();
        Set<String> visited = new HashSet<>(Set.of(group.norm()));
        for (Map<String, String> values : List.of(edit.added(), edit.removed())) {
            for (Map.Entry<String, String> value : values.entrySet()) {
                classify(value.getKey(), value.getValue(), group, users, pending, visited);
            }
        }
        while (!pending.isEmpty()) {
            for (Map.Entry<String, String> member : pending.pop().members().entrySet()) {
                classify(member.getKey(), member.getValue(), group, users, pending, visited);
            }
        }
        return users;
    }

    private void classify(String norm, String dn, GroupGraph.Link group, Map<String, String> users, Deque<GroupMembers> pending,
            Set<String> visited) throws LdapException {
        if (scope.isPlaceholder(norm)) {
            return;
        }
        if (scope.isUserDn(norm)) {
            users.put(norm, dn);
        } else if (scope.isGroupDn(norm)) {
            if (norm.equals(group.norm())) {
                return; // the modified group itself: its other members are the same before and after
            }
            Optional<GroupMembers> child = graph.group(norm, dn);
            if (child.isEmpty()) {
                unresolved.add(dn);
            } else if (policy.followsSubgroups() && visited.add(norm)) {
                pending.push(child.get());
            }
        } else {
            unresolved.add(dn);
        }
    }

    /** Inclusion found upwards from each user: the groups that list it and all their ancestors. */
    private Inclusion upwards(Set<String> users, GroupGraph.Link group, MemberEdit edit, boolean after) throws LdapException {
        Map<String, Set<String>> including = new HashMap<>();
        for (String user : users) {
            Set<String> found = new HashSet<>();
            Deque<String> pending = new ArrayDeque<>(List.of(user));
            while (!pending.isEmpty()) {
                String current = pending.pop();
                for (String parent : parents(current, group, edit, after)) {
                    if (found.add(parent)) {
                        pending.add(parent);
                    }
                }
            }
            including.put(user, found);
        }
        return (user, target) -> including.get(user).contains(target);
    }

    /** Inclusion from the whole effective memberships of the targets, the group's members taken before or after the edit. */
    private Inclusion downwards(List<GroupGraph.Link> targets, GroupGraph.Link group, MemberEdit edit, boolean after)
            throws LdapException {
        GroupMembers before = graph.group(group.norm(), group.dn())
                .orElseThrow(() -> new IllegalStateException(group.dn() + " is not a managed group"));
        GroupMembers state = before;
        if (after) {
            Map<String, String> members = new LinkedHashMap<>(before.members());
            members.keySet().removeAll(edit.removed().keySet());
            members.putAll(edit.added());
            state = new GroupMembers(before.ref(), members);
        }
        GroupMembers modified = state;
        EffectiveUsers.GroupSource groups = (norm, dn) -> norm.equals(group.norm()) ? Optional.of(modified) : graph.group(norm, dn);
        Map<String, Set<String>> users = new HashMap<>();
        for (GroupGraph.Link target : targets) {
            Optional<GroupMembers> root = groups.group(target.norm(), target.dn());
            // values that resolve to nothing are reported from the changed values only, as on the upward way
            users.put(target.norm(), root.isEmpty() ? Set.of()
                    : EffectiveUsers.of(root.get(), scope, policy, groups, new HashSet<>()).keySet());
        }
        return (user, target) -> users.get(target).contains(user);
    }

    /** The groups that list {@code norm}; after the edit, the modified group's listing follows the edit. */
    private List<String> parents(String norm, GroupGraph.Link group, MemberEdit edit, boolean after) throws LdapException {
        List<String> parents = new ArrayList<>();
        boolean listedByGroup = false;
        for (GroupGraph.Link link : graph.listing(norm)) {
            if (link.norm().equals(group.norm())) {
                listedByGroup = true;
            } else {
                parents.add(link.norm());
            }
        }
        if (after ? edit.listsAfter(norm, listedByGroup) : listedByGroup) {
            parents.add(group.norm());
        }
        return parents;
    }

    /** The groups that include {@code group} directly or through other groups, nearest first, each once. */
    private List<GroupGraph.Link> ancestors(GroupGraph.Link group) throws LdapException {
        List<GroupGraph.Link> found = new ArrayList<>();
        Set<String> seen = new HashSet<>(Set.of(group.norm()));
        Deque<String> pending = new ArrayDeque<>(List.of(group.norm()));
        while (!pending.isEmpty()) {
            for (GroupGraph.Link parent : graph.listing(pending.pop())) {
                if (seen.add(parent.norm())) {
                    found.add(parent);
                    pending.add(parent.norm());
                }
            }
        }
        return found;
    }
}
