package org.grouprelay.reconcile;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.grouprelay.targets.Snapshot;
import org.grouprelay.targets.Target;

/**
 * Applies a {@link Plan} through the target the relay uses, one committed unit per action, after the
 * mass-removal guard: a plan that would remove more than {@code maxRemovalShare} of any group's
 * members, or of all memberships, is refused unless forced (an empty or broken directory read
 * must never empty Seafile).
 */
public final class Repairer {
    private final Target target;
    private final double maxRemovalShare;

    public Repairer(Target target, double maxRemovalShare) {
        this.target = target;
        this.maxRemovalShare = maxRemovalShare;
    }

    /** Why the guard refuses {@code plan}, if it does. A single removal never trips it. */
    public Optional<String> guard(Plan plan) throws Exception {
        Snapshot seafile = target.snapshot();
        int total = seafile.members().values().stream().mapToInt(java.util.Set::size).sum();
        int removedTotal = 0;
        Map<String, Integer> removedPerGroup = new HashMap<>();
        for (RepairAction action : plan.actions()) {
            if (action instanceof RepairAction.RemoveMembers remove) {
                removedPerGroup.merge(remove.targetGroupId(), remove.targetUsers().size(), Integer::sum);
                removedTotal += remove.targetUsers().size();
            } else if (action instanceof RepairAction.DeleteGroup delete) {
                Snapshot.Linked link = seafile.links().get(delete.group().uuid());
                int members = link == null ? 0 : seafile.members().getOrDefault(link.groupId(), java.util.Set.of()).size();
                removedPerGroup.merge(link == null ? "" : link.groupId(), members, Integer::sum);
                removedTotal += members;
            }
        }
        for (Map.Entry<String, Integer> group : removedPerGroup.entrySet()) {
            int size = seafile.members().getOrDefault(group.getKey(), java.util.Set.of()).size();
            if (size > 0 && group.getValue() > maxRemovalShare * size && group.getValue() > 1) {
                return Optional.of("the plan removes " + group.getValue() + " of " + size + " members of group "
                        + group.getKey() + " (more than check.guard.maxRemovalShare " + maxRemovalShare + "); rerun with --force if that is right");
            }
        }
        if (total > 0 && removedTotal > maxRemovalShare * total && removedTotal > 1) {
            return Optional.of("the plan removes " + removedTotal + " of " + total + " memberships (more than check.guard.maxRemovalShare "
                    + maxRemovalShare + "); rerun with --force if that is right");
        }
        return Optional.empty();
    }

    public Result apply(Plan plan) {
        int created = 0;
        int renamed = 0;
        int deleted = 0;
        int added = 0;
        int removed = 0;
        List<String> failures = new ArrayList<>();
        for (RepairAction action : plan.actions()) {
            try (Target.Session session = target.begin()) {
                if (action instanceof RepairAction.EnsureGroup ensure) {
                    if (session.ensureGroup(ensure.group()).how() != Target.GroupLink.How.EXISTING) {
                        created++;
                    }
                } else if (action instanceof RepairAction.Rename rename) {
                    session.renameGroup(rename.targetGroupId(), rename.group());
                    renamed++;
                } else if (action instanceof RepairAction.AddMembers add) {
                    session.addMembers(session.ensureGroup(add.group()).groupId(), add.targetUsers());
                    added += add.targetUsers().size();
                } else if (action instanceof RepairAction.RemoveMembers remove) {
                    Target.RemoveResult result = session.removeMembers(remove.targetGroupId(), remove.targetUsers());
                    removed += remove.targetUsers().size() - result.keptOwners().size();
                } else if (action instanceof RepairAction.DeleteGroup delete) {
                    session.deleteGroup(delete.group());
                    deleted++;
                }
                session.commit();
            } catch (Exception e) {
                failures.add(action.getClass().getSimpleName() + " " + action.group().name() + ": " + e.getMessage());
            }
        }
        return new Result(created, renamed, deleted, added, removed, failures);
    }
}
