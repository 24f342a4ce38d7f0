package org.grouprelay.expiry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What {@code grouprelay memberships} prints: one row per direct membership, with its end ({@code never} without one),
 * ending first; optionally only those ending within some days (those already over but not yet removed included).
 */
public record Listing(Instant at, List<Row> rows) {
    public Listing {
        rows = List.copyOf(rows);
    }

    /** One membership; {@code end} empty: it does not end. */
    public record Row(String group, String groupDn, String member, Optional<Instant> end) {
        boolean over(Instant at) {
            return end.filter(e -> !e.isAfter(at)).isPresent();
        }
    }

    /** The memberships of {@code groups}, only those ending within {@code expiringDays} when given. */
    public static Listing of(List<GroupExpiry> groups, Instant at, Optional<Integer> expiringDays) {
        List<Row> rows = new ArrayList<>();
        for (GroupExpiry group : groups) {
            for (GroupExpiry.Member member : group.members()) {
                Row row = new Row(group.name(), group.dn(), member.value(), member.end());
                if (expiringDays.isEmpty() || row.end().filter(e -> !e.isAfter(at.plus(Duration.ofDays(expiringDays.get())))).isPresent()) {
                    rows.add(row);
                }
            }
        }
        rows.sort(Comparator.comparing((Row r) -> r.end().orElse(Instant.MAX)).thenComparing(Row::group).thenComparing(Row::member));
        return new Listing(at, rows);
    }

    public String text() {
        if (rows.isEmpty()) {
            return "no memberships\n";
        }
        int group = Math.max("GROUP".length(), rows.stream().mapToInt(r -> r.group().length()).max().orElse(0));
        int member = Math.max("MEMBER".length(), rows.stream().mapToInt(r -> r.member().length()).max().orElse(0));
        String format = "%-" + group + "s  %-" + member + "s  %s%n";
        StringBuilder text = new StringBuilder(String.format(format, "GROUP", "MEMBER", "ENDS"));
        for (Row row : rows) {
            text.append(String.format(format, row.group(), row.member(), row.end().map(e -> e + " (" + when(e) + ")").orElse("never")));
        }
        return text.toString();
    }

    private String when(Instant end) {
        if (!end.isAfter(at)) {
            return "over, not yet removed";
        }
        long days = Duration.between(at, end).toDays();
        return days == 0 ? "within a day" : "in " + days + " day" + (days == 1 ? "" : "s");
    }

    /** Schema version 1: {@code {version, listedAt, memberships: [{group, groupDn, member, ends|null, daysLeft|null, over}]}}. */
    public String json() {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        root.put("version", 1);
        root.put("listedAt", at.toString());
        ArrayNode list = root.putArray("memberships");
        for (Row row : rows) {
            ObjectNode node = list.addObject().put("group", row.group()).put("groupDn", row.groupDn()).put("member", row.member());
            if (row.end().isPresent()) {
                node.put("ends", row.end().get().toString()).put("daysLeft", Math.max(0, Duration.between(at, row.end().get()).toDays()));
            } else {
                node.putNull("ends").putNull("daysLeft");
            }
            node.put("over", row.over(at));
        }
        try {
            return json.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
