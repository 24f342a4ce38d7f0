package org.grouprelay.relay;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.grouprelay.change.GroupChange;
import org.grouprelay.change.GroupReader;
import org.grouprelay.change.GroupRef;
import org.grouprelay.change.UserRef;
import org.grouprelay.mapping.Accounts;
import org.grouprelay.targets.Target;
import org.grouprelay.targets.TargetException;

/**
 * Applies one {@link GroupChange} to the target: maps users, finds or creates the linked group,
 * and reports per user what happened. Every step is idempotent, so applying a change twice is safe.
 */
final class Applier {
    /** What happened to one user (or to the group, when {@code user} is null); ids are the target's. */
    record Applied(UserRef user, String targetUser, String targetGroup, Outcome outcome, String reason) {
    }

    private final Accounts accounts;
    private final GroupReader directory;

    Applier(Accounts accounts, GroupReader directory) {
        this.accounts = accounts;
        this.directory = directory;
    }

    /** Applies {@code change} within {@code target}; the caller commits. */
    List<Applied> apply(GroupChange change, Target.Session target) throws Exception {
        GroupRef group = change.group();
        if (change instanceof GroupChange.GroupCreated) {
            Target.GroupLink link = target.ensureGroup(group);
            return List.of(groupOutcome(link, link.how() == Target.GroupLink.How.EXISTING ? "already linked" : null));
        }
        if (change instanceof GroupChange.GroupRenamed) {
            Target.GroupLink link = target.ensureGroup(group);
            if (link.how() == Target.GroupLink.How.EXISTING) {
                target.renameGroup(link.groupId(), group);
            }
            return List.of(groupOutcome(link, null));
        }
        if (change instanceof GroupChange.GroupDeleted) {
            Optional<String> linked = target.linkedGroup(group);
            target.deleteGroup(group);
            return List.of(new Applied(null, null, linked.orElse(null), Outcome.APPLIED, linked.isEmpty() ? "was not linked" : null));
        }
        if (change instanceof GroupChange.MemberAdded added) {
            return add(target, group, added.users());
        }
        if (change instanceof GroupChange.MemberRemoved removed) {
            return remove(target, group, removed.users());
        }
        if (change instanceof GroupChange.UserDeleted deleted) {
            List<Applied> outcomes = remove(target, group, List.of(deleted.user()));
            for (Applied outcome : outcomes) {
                if (outcome.targetUser() != null) {
                    target.userDeleted(outcome.targetUser());
                }
            }
            return outcomes;
        }
        if (change instanceof GroupChange.UserRenamed renamed) {
            return rename(target, group, renamed.before(), renamed.after());
        }
        if (change instanceof GroupChange.GroupResync) {
            return resync(target, group);
        }
        throw new IllegalArgumentException("unknown change " + change);
    }

    private List<Applied> add(Target.Session target, GroupRef group, List<UserRef> users) throws Exception {
        Map<UserRef, String> ids = accounts.provision(users);
        List<Applied> outcomes = new ArrayList<>();
        String groupId = null;
        if (!ids.isEmpty()) {
            Target.GroupLink link = target.ensureGroup(group);
            groupId = link.groupId();
            target.addMembers(groupId, new LinkedHashSet<>(ids.values()));
        }
        for (UserRef user : users) {
            String id = ids.get(user);
            outcomes.add(id == null
                    ? new Applied(user, null, groupId, Outcome.PENDING, "no account yet (" + describeRules() + ")")
                    : new Applied(user, id, groupId, Outcome.APPLIED, null));
        }
        return outcomes;
    }

    private List<Applied> remove(Target.Session target, GroupRef group, List<UserRef> users) throws Exception {
        Map<UserRef, String> ids = accounts.find(users);
        Optional<String> linked = target.linkedGroup(group);
        Set<String> kept = Set.of();
        if (linked.isPresent() && !ids.isEmpty()) {
            kept = Set.copyOf(target.removeMembers(linked.get(), new LinkedHashSet<>(ids.values())).keptOwners());
        }
        List<Applied> outcomes = new ArrayList<>();
        for (UserRef user : users) {
            String id = ids.get(user);
            if (id == null) {
                outcomes.add(new Applied(user, null, linked.orElse(null), Outcome.IGNORED, "no account in the target"));
            } else if (linked.isEmpty()) {
                outcomes.add(new Applied(user, id, null, Outcome.IGNORED, "group not created in the target yet"));
            } else if (kept.contains(id)) {
                outcomes.add(new Applied(user, id, linked.get(), Outcome.IGNORED, "kept: owns the group in the target"));
            } else {
                outcomes.add(new Applied(user, id, linked.get(), Outcome.APPLIED, null));
            }
        }
        return outcomes;
    }

    /** A renamed user keeps their account unless the mapping key changed with the DN. */
    private List<Applied> rename(Target.Session target, GroupRef group, UserRef before, UserRef after) throws Exception {
        Map<UserRef, String> ids = accounts.find(List.of(before, after));
        String oldId = ids.get(before);
        String newId = ids.get(after);
        if (java.util.Objects.equals(oldId, newId)) {
            return List.of(new Applied(after, newId, target.linkedGroup(group).orElse(null), Outcome.APPLIED, "same account"));
        }
        List<Applied> outcomes = new ArrayList<>();
        if (oldId != null) {
            outcomes.addAll(remove(target, group, List.of(before)));
        }
        outcomes.addAll(add(target, group, List.of(after)));
        return outcomes;
    }

    /** Makes the target's group what the directory's group is now: created, renamed or deleted, and its members. */
    private List<Applied> resync(Target.Session target, GroupRef group) throws Exception {
        Optional<GroupReader.GroupState> now = directory.read(group.uuid());
        if (now.isEmpty()) {
            Optional<String> linked = target.linkedGroup(group);
            target.deleteGroup(group);
            return List.of(new Applied(null, null, linked.orElse(null), Outcome.APPLIED,
                    linked.isEmpty() ? "re-read: not a managed group, not linked" : "re-read: not a managed group any more, its group deleted"));
        }
        GroupRef current = now.get().group();
        Target.GroupLink link = target.ensureGroup(current);
        if (link.how() == Target.GroupLink.How.EXISTING) {
            target.renameGroup(link.groupId(), current);
        }
        Map<UserRef, String> ids = accounts.provision(now.get().users());
        Set<String> wanted = new LinkedHashSet<>(ids.values()); // ids as the target compares them (Seafile's are lower-cased)
        Set<String> have = target.members(link.groupId());
        Set<String> missing = new LinkedHashSet<>(wanted);
        missing.removeAll(have);
        Set<String> extra = new LinkedHashSet<>(have);
        extra.removeAll(wanted);
        if (!missing.isEmpty()) {
            target.addMembers(link.groupId(), missing);
        }
        int kept = extra.isEmpty() ? 0 : target.removeMembers(link.groupId(), extra).keptOwners().size();
        List<Applied> outcomes = new ArrayList<>();
        outcomes.add(new Applied(null, null, link.groupId(), Outcome.APPLIED, "re-read as '" + current.name() + "': " + missing.size() + " added, "
                + (extra.size() - kept) + " removed"));
        for (UserRef user : now.get().users()) {
            if (!ids.containsKey(user)) {
                outcomes.add(new Applied(user, null, link.groupId(), Outcome.PENDING, "no account yet (" + describeRules() + ")"));
            }
        }
        return outcomes;
    }

    private Applied groupOutcome(Target.GroupLink link, String reason) {
        String how = switch (link.how()) {
            case CREATED -> "created";
            case ADOPTED -> "adopted an existing group of the same name";
            case RECREATED -> "re-created: the linked group had been deleted in the target";
            case EXISTING -> reason;
        };
        return new Applied(null, null, link.groupId(), Outcome.APPLIED, how);
    }

    private String describeRules() {
        return "tried " + accounts.describe();
    }

    /** Unknown failures count as transient: retrying is safe (idempotent), dropping is not. */
    static boolean isTransient(Throwable e) {
        return !(e instanceof TargetException t) || t.isTransient();
    }
}
