package org.grouprelay.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.grouprelay.reconcile.CheckRun;
import org.grouprelay.reconcile.Finding;
import org.grouprelay.reconcile.Plan;
import org.grouprelay.reconcile.RepairAction;
import org.grouprelay.reconcile.Result;

/** The words every format shares, so the terminal, the mail subject and the HTML page say the same thing. */
final class Wording {
    /** Heading of findings that concern no group (outbox backlog, relay failures). */
    static final String NO_GROUP = "(not about one group)";

    /** Group headings in name order, case-insensitively; the findings without a group come last. */
    static final Comparator<String> GROUP_ORDER = Comparator.nullsLast(
            Comparator.comparing((String name) -> name.toLowerCase(Locale.ROOT)).thenComparing(Comparator.naturalOrder()));

    private static final Comparator<Finding> FINDING_ORDER = Comparator.comparing(Finding::kind)
            .thenComparing(Finding::user, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(Finding::detail, Comparator.nullsFirst(Comparator.naturalOrder()));

    private Wording() {
    }

    /** "in sync" or "3 drift findings (2 members missing, 1 extra member)", then notes: "; 1 pending member". */
    static String headline(Plan plan) {
        Map<Finding.Kind, Integer> counts = plan.counts();
        List<String> drift = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        int driftTotal = 0;
        for (Map.Entry<Finding.Kind, Integer> e : counts.entrySet()) {
            if (e.getValue() == 0) {
                continue;
            }
            (e.getKey().drift() ? drift : notes).add(count(e.getKey(), e.getValue()));
            driftTotal += e.getKey().drift() ? e.getValue() : 0;
        }
        String head = driftTotal == 0 ? "in sync"
                : driftTotal + (driftTotal == 1 ? " drift finding (" : " drift findings (") + String.join(", ", drift) + ")";
        return notes.isEmpty() ? head : head + "; " + String.join(", ", notes);
    }

    /** What happened after the check, for the subject and the header: "", " (dry run)", ", repaired", ... */
    static String outcome(CheckRun run) {
        if (run.refused().isPresent()) {
            return ", repair refused";
        }
        if (run.repair().isPresent()) {
            int failed = run.repair().get().failures().size();
            return failed == 0 ? ", repaired" : ", repaired with " + failed + (failed == 1 ? " failure" : " failures");
        }
        return "dry-run".equals(run.mode()) ? " (dry run)" : "";
    }

    /** "2 members missing": the exhaustive switch makes a new kind a compile error here, not a silent gap. */
    static String count(Finding.Kind kind, int n) {
        boolean one = n == 1;
        String words = switch (kind) {
            case MEMBER_MISSING -> one ? "member missing" : "members missing";
            case MEMBER_EXTRA -> one ? "extra member" : "extra members";
            case GROUP_MISSING -> one ? "group missing" : "groups missing";
            case GROUP_NOT_LINKED -> one ? "group not linked" : "groups not linked";
            case NAME_DIFFERS -> one ? "name differs" : "names differ";
            case LINK_ORPHANED -> one ? "orphaned link" : "orphaned links";
            case MEMBER_PENDING -> one ? "pending member" : "pending members";
            case NOT_MANAGED -> one ? "account not managed" : "accounts not managed";
            case OUTBOX_BACKLOG -> one ? "outbox backlog" : "outbox backlogs";
            case RELAY_FAILURE -> one ? "relay failure" : "relay failures";
            case MEMBERSHIP_EXPIRED -> one ? "membership over" : "memberships over";
        };
        return n + " " + words;
    }

    /** Findings by group heading (sorted; {@code null} = no group), each group's findings by kind, user, detail. */
    static Map<String, List<Finding>> byGroup(Plan plan) {
        Map<String, List<Finding>> groups = new TreeMap<>(GROUP_ORDER);
        plan.findings().forEach(f -> groups.computeIfAbsent(f.group(), g -> new ArrayList<>()).add(f));
        groups.values().forEach(list -> list.sort(FINDING_ORDER));
        return groups;
    }

    static String heading(String group) {
        return group == null ? NO_GROUP : group;
    }

    /** The stable machine name of an action, as in the JSON report. */
    static String type(RepairAction action) {
        if (action instanceof RepairAction.EnsureGroup) {
            return "ensure-group";
        } else if (action instanceof RepairAction.Rename) {
            return "rename";
        } else if (action instanceof RepairAction.AddMembers) {
            return "add-members";
        } else if (action instanceof RepairAction.RemoveMembers) {
            return "remove-members";
        } else if (action instanceof RepairAction.DeleteGroup) {
            return "delete-group";
        }
        throw new IllegalArgumentException("unknown repair action " + action);
    }

    static List<String> users(RepairAction action) {
        if (action instanceof RepairAction.AddMembers add) {
            return add.targetUsers();
        } else if (action instanceof RepairAction.RemoveMembers remove) {
            return remove.targetUsers();
        }
        return List.of();
    }

    static String targetGroupId(RepairAction action) {
        if (action instanceof RepairAction.Rename rename) {
            return rename.targetGroupId();
        } else if (action instanceof RepairAction.RemoveMembers remove) {
            return remove.targetGroupId();
        }
        return null;
    }

    /** A finding kind's title, naming the target ({@code Seafile} in the titles stands for it). */
    static String title(Finding.Kind kind, String target) {
        return kind.title().replace("Seafile", target);
    }

    /** {@link #describe(RepairAction)} naming the target. */
    static String describe(RepairAction action, String target) {
        return describe(action).replace("Seafile", target);
    }

    /** One sentence for an operator, without the group name (callers put it in front). */
    static String describe(RepairAction action) {
        if (action instanceof RepairAction.EnsureGroup) {
            return "create the Seafile group (or re-create it) and link it";
        } else if (action instanceof RepairAction.Rename rename) {
            return "rename Seafile group " + rename.targetGroupId() + " to '" + rename.group().name() + "'";
        } else if (action instanceof RepairAction.AddMembers add) {
            return "add " + members(add.targetUsers()) + ": " + String.join(", ", add.targetUsers());
        } else if (action instanceof RepairAction.RemoveMembers remove) {
            return "remove " + members(remove.targetUsers()) + " from Seafile group " + remove.targetGroupId() + ": "
                    + String.join(", ", remove.targetUsers());
        } else if (action instanceof RepairAction.DeleteGroup) {
            return "delete the linked Seafile group (its directory group is gone)";
        }
        throw new IllegalArgumentException("unknown repair action " + action);
    }

    static String describe(Result result) {
        return result.groupsCreated() + " groups created, " + result.groupsRenamed() + " renamed, " + result.groupsDeleted()
                + " deleted; " + result.membersAdded() + " members added, " + result.membersRemoved() + " removed";
    }

    private static String members(List<String> users) {
        return users.size() == 1 ? "1 member" : users.size() + " members";
    }
}
