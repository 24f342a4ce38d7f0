package org.grouprelay.reconcile;

import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The result of comparing the directory with Seafile: findings (for the report) and the repair
 * actions that would make Seafile equal the directory.
 */
public record Plan(Instant checkedAt, int groups, int memberships, List<Finding> findings, List<RepairAction> actions) {
    public Plan {
        findings = List.copyOf(findings);
        actions = List.copyOf(actions);
    }

    public boolean inSync() {
        return findings.stream().noneMatch(f -> f.kind().drift());
    }

    public Map<Finding.Kind, Integer> counts() {
        Map<Finding.Kind, Integer> counts = new EnumMap<>(Finding.Kind.class);
        for (Finding.Kind kind : Finding.Kind.values()) {
            counts.put(kind, 0);
        }
        findings.forEach(f -> counts.merge(f.kind(), 1, Integer::sum));
        return counts;
    }
}
