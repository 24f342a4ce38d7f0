package org.grouprelay.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.List;
import org.grouprelay.reconcile.CheckRun;
import org.grouprelay.reconcile.Finding;
import org.grouprelay.reconcile.Plan;
import org.grouprelay.reconcile.RepairAction;
import org.grouprelay.reconcile.Result;

/**
 * The report for monitoring: one JSON object whose keys and value types do not change without a
 * new {@code version}. Keys are always present (absent values are {@code null} or empty), in this order:
 *
 * <pre>
 * {
 *   "version": 1,
 *   "checkedAt": "2026-11-25T02:30:00Z",           ISO-8601, UTC
 *   "mode": "check" | "dry-run" | "repair",
 *   "inSync": true,                                 no finding of a drift kind
 *   "summary": "2 drift findings (…)",              the mail subject's words, for humans
 *   "groups": 12, "memberships": 340,               what was compared
 *   "counts": {"MEMBER_MISSING": 0, …},             every Finding.Kind, zero included, in declaration order
 *   "findings": [{"kind": "MEMBER_MISSING", "drift": true, "group": "devs"|null, "user": "…"|null,
 *                 "detail": "…"|null, "action": "…"|null}, …],     sorted like the text report
 *   "actions": [{"type": "ensure-group"|"rename"|"add-members"|"remove-members"|"delete-group",
 *                "group": "devs", "groupDn": "cn=devs,…", "groupUuid": "…",
 *                "seafileGroupId": 7|null, "users": ["alice@example.org", …]}, …],   in the order repair applies them
 *   "repair": null | {"groupsCreated": 0, "groupsRenamed": 0, "groupsDeleted": 0,
 *                     "membersAdded": 2, "membersRemoved": 1, "failures": ["…"]},
 *   "refused": null | "why the repair was refused"
 * }
 * </pre>
 *
 * Kind names are {@link Finding.Kind} constant names; a new kind may be added within version 1, so
 * consumers should tolerate unknown kinds and keys.
 */
public final class JsonReport {
    public static final int VERSION = 1;

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** ObjectWriter is immutable and thread-safe. */
    private static final ObjectWriter WRITER = JsonMapper.builder().build().writerWithDefaultPrettyPrinter();

    private JsonReport() {
    }

    public static String render(CheckRun run) {
        try {
            return WRITER.writeValueAsString(tree(run)) + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e); // a tree of plain nodes always serializes
        }
    }

    static ObjectNode tree(CheckRun run) {
        Plan plan = run.plan();
        ObjectNode root = NODES.objectNode();
        root.put("version", VERSION);
        root.put("checkedAt", plan.checkedAt().toString());
        root.put("mode", run.mode());
        root.put("inSync", plan.inSync());
        root.put("summary", Wording.headline(plan) + Wording.outcome(run));
        root.put("groups", plan.groups());
        root.put("memberships", plan.memberships());
        ObjectNode counts = root.putObject("counts");
        plan.counts().forEach((kind, n) -> counts.put(kind.name(), n));

        ArrayNode findings = root.putArray("findings");
        Wording.byGroup(plan).values().stream().flatMap(List::stream).forEach(f -> findings.add(finding(f)));

        ArrayNode actions = root.putArray("actions");
        plan.actions().forEach(a -> actions.add(action(a)));

        root.set("repair", run.repair().map(JsonReport::result).orElse(null));
        root.put("refused", run.refused().orElse(null));
        return root;
    }

    private static ObjectNode finding(Finding f) {
        ObjectNode node = NODES.objectNode();
        node.put("kind", f.kind().name());
        node.put("drift", f.kind().drift());
        node.put("group", f.group());
        node.put("user", f.user());
        node.put("detail", f.detail());
        node.put("action", f.action());
        return node;
    }

    private static ObjectNode action(RepairAction a) {
        ObjectNode node = NODES.objectNode();
        node.put("type", Wording.type(a));
        node.put("group", a.group().name());
        node.put("groupDn", a.group().dn());
        node.put("groupUuid", a.group().uuid());
        String groupId = Wording.targetGroupId(a);
        if (groupId != null && groupId.matches("\\d{1,18}")) {
            node.put("seafileGroupId", Long.parseLong(groupId)); // Seafile numbers its groups: a number, as before
        } else {
            node.put("seafileGroupId", groupId); // another target's own id (a SCIM id), as text
        }
        ArrayNode users = node.putArray("users");
        Wording.users(a).forEach(users::add);
        return node;
    }

    private static ObjectNode result(Result r) {
        ObjectNode node = NODES.objectNode();
        node.put("groupsCreated", r.groupsCreated());
        node.put("groupsRenamed", r.groupsRenamed());
        node.put("groupsDeleted", r.groupsDeleted());
        node.put("membersAdded", r.membersAdded());
        node.put("membersRemoved", r.membersRemoved());
        ArrayNode failures = node.putArray("failures");
        r.failures().forEach(failures::add);
        return node;
    }
}
