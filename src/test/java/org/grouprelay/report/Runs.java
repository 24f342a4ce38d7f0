package org.grouprelay.report;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.grouprelay.change.GroupRef;
import org.grouprelay.reconcile.CheckRun;
import org.grouprelay.reconcile.Finding;
import org.grouprelay.reconcile.Plan;
import org.grouprelay.reconcile.RepairAction;
import org.grouprelay.reconcile.Result;

/** Check runs as the checker would produce them, for the report tests. */
final class Runs {
    static final Instant CHECKED_AT = Instant.parse("2026-11-25T02:30:00Z");
    static final GroupRef DEVS = new GroupRef("uuid-devs", "cn=devs,ou=groups,dc=example,dc=org", "devs");
    static final GroupRef OPS = new GroupRef("uuid-ops", "cn=ops,ou=groups,dc=example,dc=org", "Ops");
    /** A group name an attacker (or a creative admin) could choose. */
    static final GroupRef NASTY = new GroupRef("uuid-nasty", "cn=x,ou=groups,dc=example,dc=org",
            "<script>alert('x')</script> & \"friends\"");

    static final Finding ALICE_MISSING = new Finding(Finding.Kind.MEMBER_MISSING, "devs", "uid=alice,ou=people,dc=example,dc=org",
            "not in Seafile group 7", "add alice@example.org");
    static final Finding BOB_MISSING = new Finding(Finding.Kind.MEMBER_MISSING, "devs", "uid=bob,ou=people,dc=example,dc=org",
            "not in Seafile group 7", "add bob@example.org");
    static final Finding MALLORY_EXTRA = new Finding(Finding.Kind.MEMBER_EXTRA, "Ops", "mallory@example.org",
            "in Seafile group 9 but not a member in the directory", "remove mallory@example.org");
    static final Finding DAVE_PENDING = new Finding(Finding.Kind.MEMBER_PENDING, "Ops", "uid=dave,ou=people,dc=example,dc=org",
            "no Seafile account yet", null);
    static final Finding BACKLOG = new Finding(Finding.Kind.OUTBOX_BACKLOG, null, null, "3 changes waiting, oldest 42 s",
            "check that Seafile's database is reachable");
    static final Finding NASTY_NOT_LINKED = new Finding(Finding.Kind.GROUP_NOT_LINKED, NASTY.name(), null,
            "<b>no</b> link & no Seafile group", "create the Seafile group");

    static final List<RepairAction> ACTIONS = List.of(
            new RepairAction.EnsureGroup(NASTY),
            new RepairAction.AddMembers(DEVS, List.of("alice@example.org", "bob@example.org")),
            new RepairAction.RemoveMembers(OPS, "9", List.of("mallory@example.org")));

    private Runs() {
    }

    static Plan driftPlan(List<Finding> findings) {
        return new Plan(CHECKED_AT, 3, 42, findings, ACTIONS);
    }

    /** 3 drift findings (2 members missing, 1 extra member) plus a pending member, as a plain check. */
    static CheckRun drift() {
        return new CheckRun(driftPlan(List.of(MALLORY_EXTRA, BOB_MISSING, DAVE_PENDING, ALICE_MISSING)), Optional.empty(),
                "check", Optional.empty());
    }

    static CheckRun inSync() {
        return new CheckRun(new Plan(CHECKED_AT, 3, 42, List.of(), List.of()), Optional.empty(), "check", Optional.empty());
    }

    static CheckRun inSyncWithNotes() {
        return new CheckRun(new Plan(CHECKED_AT, 3, 42, List.of(DAVE_PENDING), List.of()), Optional.empty(), "check",
                Optional.empty());
    }

    static CheckRun dryRun() {
        return new CheckRun(drift().plan(), Optional.empty(), "dry-run", Optional.empty());
    }

    static CheckRun repaired() {
        return new CheckRun(drift().plan(), Optional.of(new Result(0, 0, 0, 2, 1, List.of("Ops: Seafile said no"))), "repair",
                Optional.empty());
    }

    static CheckRun refused() {
        return new CheckRun(drift().plan(), Optional.empty(), "repair",
                Optional.of("would remove 60% of Seafile memberships (limit 20%)"));
    }

    static CheckRun nasty() {
        return new CheckRun(driftPlan(List.of(NASTY_NOT_LINKED, BACKLOG, ALICE_MISSING)), Optional.empty(), "dry-run",
                Optional.empty());
    }
}
