package org.grouprelay.reconcile;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import org.apache.directory.api.ldap.model.exception.LdapException;
import org.grouprelay.membership.MembershipRules;
import org.grouprelay.membership.GroupMembers;
import org.grouprelay.membership.EffectiveUsers;
import org.grouprelay.membership.Scope;
import org.grouprelay.change.GroupRef;
import org.grouprelay.change.UserRef;
import org.grouprelay.mapping.Accounts;
import org.grouprelay.targets.Snapshot;
import org.grouprelay.targets.Target;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compares the directory (desired: managed groups and their users after the nested-group policy and
 * user mapping) with Seafile (actual: linked groups and their rows), each read in one pass, and
 * turns the differences into findings and repair actions with set operations.
 */
public final class Checker {
    private static final Logger log = LoggerFactory.getLogger(Checker.class);
    private final String label;
    private final MembershipRules settings;
    private final Accounts accounts;
    private final Target target;
    private final LocalState local;
    private final Clock clock;

    public Checker(MembershipRules settings, Accounts accounts, Target target, LocalState local, Clock clock) {
        this("Seafile", settings, accounts, target, local, clock);
    }

    /** {@code label} names the target in findings ({@code Seafile}, {@code target apps}). */
    public Checker(String label, MembershipRules settings, Accounts accounts, Target target, LocalState local, Clock clock) {
        this.label = label;
        this.settings = settings;
        this.accounts = accounts;
        this.target = target;
        this.local = local;
        this.clock = clock;
    }

    /** Checks every managed group, or only those named in {@code onlyGroups} (when not empty). */
    public Plan check(DirectorySource source, Set<String> onlyGroups) throws Exception {
        Scope scope = new Scope(source.schemaManager(), settings.peopleDn(), settings.groupsDn(), settings.placeholder());
        // Seafile is read on its own thread while the directory is read here: the two servers work at the same time
        long started = System.nanoTime();
        long[] seafileDone = new long[1];
        FutureTask<Snapshot> seafileRead = new FutureTask<>(() -> {
            Snapshot snapshot = target.snapshot();
            seafileDone[0] = System.nanoTime();
            return snapshot;
        });
        Thread reader = new Thread(seafileRead, "grouprelay-check-seafile");
        reader.setDaemon(true);
        reader.start();
        DirectorySnapshot directory;
        try {
            directory = DirectorySnapshot.read(source, scope, settings);
        } catch (LdapException | RuntimeException e) {
            seafileRead.cancel(true);
            throw e;
        }
        long directoryDone = System.nanoTime();
        Snapshot seafile = result(seafileRead);
        log.info("read the directory in {} s ({} groups, {} people) and the target in {} s ({} linked groups), side by side",
                seconds(started, directoryDone), directory.groups().size(), directory.users().size(), seconds(started, seafileDone[0]),
                seafile.links().size());

        // desired members of every group, by directory DN, then all users mapped in one batch
        Map<GroupMembers, Map<String, String>> desired = new LinkedHashMap<>();
        Map<String, UserRef> everyone = new LinkedHashMap<>();
        Set<String> unresolved = new TreeSet<>();
        for (GroupMembers group : directory.groups().values()) {
            if (!onlyGroups.isEmpty() && !onlyGroups.contains(group.ref().name()) || !target.relays(group.ref())) {
                continue;
            }
            Map<String, String> users = EffectiveUsers.of(group, scope, settings.nested(),
                    (norm, dn) -> Optional.ofNullable(directory.groups().get(norm)), unresolved);
            desired.put(group, users);
            for (String norm : users.keySet()) {
                UserRef user = directory.users().get(norm);
                if (user != null) {
                    everyone.putIfAbsent(norm, user);
                }
            }
        }
        // Seafile ids by normalized DN (string keys: a UserRef's hash covers its attribute map)
        Map<UserRef, String> resolved = accounts.find(new ArrayList<>(everyone.values()));
        Map<String, String> ids = new HashMap<>();
        everyone.forEach((norm, user) -> Optional.ofNullable(resolved.get(user)).ifPresent(id -> ids.put(norm, id)));

        // where the target's ids are directory values, its accounts of no directory user are its own: listed, never touched
        Set<String> directoryIds = new HashSet<>();
        directory.users().values().forEach(u -> accounts.idOf(u).ifPresent(directoryIds::add));
        List<Finding> findings = new ArrayList<>();
        List<RepairAction> actions = new ArrayList<>();
        int memberships = 0;
        Set<String> seen = new HashSet<>();
        for (Map.Entry<GroupMembers, Map<String, String>> entry : desired.entrySet()) {
            GroupRef group = entry.getKey().ref();
            seen.add(group.uuid());
            Set<String> want = new TreeSet<>();
            for (Map.Entry<String, String> user : entry.getValue().entrySet()) {
                UserRef ref = directory.users().get(user.getKey());
                String id = ref == null ? null : ids.get(user.getKey());
                if (ref == null) {
                    continue; // a dangling member value: reported with the unresolved values below
                }
                if (id == null) {
                    findings.add(new Finding(Finding.Kind.MEMBER_PENDING, group.name(), ref.dn(),
                            "no account found (" + accounts.describe() + ")", "added automatically once the account exists"));
                } else {
                    want.add(id);
                }
            }
            memberships += want.size();
            compare(group, target.groupName(group), want, Optional.ofNullable(seafile.links().get(target.linkKey(group))), seafile,
                    directoryIds, findings, actions);
        }
        if (onlyGroups.isEmpty() && target.ownsGroups()) {
            for (Snapshot.Linked link : seafile.links().values()) {
                if (!seen.contains(link.uuid())) {
                    GroupRef gone = new GroupRef(link.uuid(), "", link.name().orElse("#" + link.groupId()));
                    findings.add(new Finding(Finding.Kind.LINK_ORPHANED, gone.name(), null,
                            label + " group " + link.groupId() + " is linked to a directory group that no longer exists",
                            "delete the " + label + " group (it was created for that directory group)"));
                    actions.add(new RepairAction.DeleteGroup(gone));
                }
            }
        }
        unresolved.forEach(value -> findings.add(new Finding(Finding.Kind.MEMBER_PENDING, null, value,
                "member value names no existing user or managed group", "fix or remove the member value in the directory")));
        findings.addAll(local.findings());
        log.info("compared {} groups and {} memberships in {} s in all: {} findings", desired.size(), memberships,
                seconds(started, System.nanoTime()), findings.size());
        return new Plan(clock.instant(), desired.size(), memberships, findings, actions);
    }

    private static String seconds(long from, long to) {
        return String.format(java.util.Locale.ROOT, "%.1f", (to - from) / 1e9);
    }

    private static Snapshot result(FutureTask<Snapshot> read) throws Exception {
        try {
            return read.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    private void compare(GroupRef group, String name, Set<String> want, Optional<Snapshot.Linked> link, Snapshot seafile,
            Set<String> directoryIds, List<Finding> findings, List<RepairAction> actions) {
        if (link.isEmpty() || !link.get().exists()) {
            Finding.Kind kind = link.isEmpty() ? Finding.Kind.GROUP_NOT_LINKED : Finding.Kind.GROUP_MISSING;
            findings.add(new Finding(kind, group.name(), null, link.isEmpty() ? "no " + label + " group is linked to " + group.dn()
                    : "linked " + label + " group " + link.get().groupId() + " does not exist", "create the " + label + " group and add its "
                    + want.size() + " member(s)"));
            actions.add(new RepairAction.EnsureGroup(group));
            if (!want.isEmpty()) {
                actions.add(new RepairAction.AddMembers(group, List.copyOf(want)));
            }
            return;
        }
        Snapshot.Linked linked = link.get();
        if (!linked.name().get().equals(name)) {
            findings.add(new Finding(Finding.Kind.NAME_DIFFERS, group.name(), null,
                    label + " calls it '" + linked.name().get() + "'", "rename the " + label + " group to '" + name + "'"));
            actions.add(new RepairAction.Rename(group, linked.groupId()));
        }
        if (seafile.membersUnknown().contains(linked.groupId())) {
            if (!want.isEmpty()) {
                // the target does not show members: adding is idempotent, so the directory's members are added again
                actions.add(new RepairAction.AddMembers(group, List.copyOf(want)));
            }
            return;
        }
        Set<String> have = new HashSet<>(seafile.members().getOrDefault(linked.groupId(), Set.of()));
        Set<String> wanted = new HashSet<>(want);
        linked.creator().filter(have::remove).ifPresent(wanted::remove); // the owner row is written by design: not drift
        Set<String> missing = new TreeSet<>(wanted);
        missing.removeAll(have);
        Set<String> extra = new TreeSet<>(have);
        extra.removeAll(wanted);
        if (!directoryIds.isEmpty()) {
            for (String id : List.copyOf(extra)) {
                if (!directoryIds.contains(id)) {
                    extra.remove(id);
                    findings.add(new Finding(Finding.Kind.NOT_MANAGED, group.name(), id, "an account in " + label + " with no directory user",
                            "none: grouprelay never touches it"));
                }
            }
        }
        missing.forEach(id -> findings.add(new Finding(Finding.Kind.MEMBER_MISSING, group.name(), id,
                "member in the directory, not in " + label, "add to the " + label + " group")));
        extra.forEach(id -> findings.add(new Finding(Finding.Kind.MEMBER_EXTRA, group.name(), id,
                "member in " + label + ", not in the directory", "remove from the " + label + " group"
                        + (label.equals("Seafile") ? " (and their shares to it)" : ""))));
        if (!missing.isEmpty()) {
            actions.add(new RepairAction.AddMembers(group, List.copyOf(missing)));
        }
        if (!extra.isEmpty()) {
            actions.add(new RepairAction.RemoveMembers(group, linked.groupId(), List.copyOf(extra)));
        }
    }
}
