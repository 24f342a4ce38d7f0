package org.grouprelay.transfer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Groups of the other kinds become {@code groupOfNames}, the kind Keycloak's group mapper and the relay
 * use: {@code posixGroup} (its {@code memberUid} values found by the {@code uid} of an entry in the
 * file) and {@code groupOfUniqueNames} ({@code uniqueMember}, without the optional {@code #'…'B}
 * unique identifier). A group left without members gets the placeholder member, as Keycloak does.
 * Attribute keys are lower-case names.
 */
final class GroupMapping {
    private GroupMapping() {
    }

    static void map(Map<String, List<LdifRecords.Value>> attributes, UnaryOperator<String> rewriteDn, Map<String, String> uids,
            String placeholder, int line, List<String> notes, List<String> skipped) {
        List<LdifRecords.Value> classes = attributes.getOrDefault("objectclass", List.of());
        boolean groupOfNames = has(classes, "groupOfNames");
        boolean posix = has(classes, "posixGroup");
        boolean unique = has(classes, "groupOfUniqueNames");
        if (!groupOfNames && !posix && !unique) {
            return;
        }
        Map<String, String> members = new LinkedHashMap<>();
        attributes.getOrDefault("member", List.of()).forEach(v -> put(members, rewriteDn.apply(v.text().strip())));
        if (posix) {
            List<String> missing = new ArrayList<>();
            int found = 0;
            for (LdifRecords.Value uid : attributes.getOrDefault("memberuid", List.of())) {
                String dn = uids.get(uid.text().strip().toLowerCase(Locale.ROOT));
                if (dn == null) {
                    missing.add(uid.text().strip());
                } else {
                    put(members, dn);
                    found++;
                }
            }
            attributes.remove("memberuid");
            List<LdifRecords.Value> gid = attributes.remove("gidnumber");
            notes.add("posixGroup mapped to groupOfNames: " + found + " memberUid value" + (found == 1 ? "" : "s") + " became member"
                    + (gid == null ? "" : "; gidNumber " + gid.get(0).text().strip() + " not kept (groupOfNames has none)"));
            if (!missing.isEmpty()) {
                skipped.add("memberUid " + String.join(", ", missing) + ": no entry with that uid in the file, left out");
            }
        }
        if (unique) {
            List<LdifRecords.Value> values = attributes.remove("uniquemember");
            values = values == null ? List.of() : values;
            values.forEach(v -> put(members, rewriteDn.apply(withoutUniqueId(v.text().strip()))));
            notes.add("groupOfUniqueNames mapped to groupOfNames: " + values.size() + " uniqueMember value"
                    + (values.size() == 1 ? "" : "s") + " became member");
        }
        List<LdifRecords.Value> newClasses = new ArrayList<>();
        for (LdifRecords.Value value : classes) {
            String name = value.text().strip();
            if (!name.equalsIgnoreCase("posixGroup") && !name.equalsIgnoreCase("groupOfUniqueNames")) {
                newClasses.add(value);
            }
        }
        if (!groupOfNames) {
            newClasses.add(value("objectClass", "groupOfNames", line));
        }
        attributes.put("objectclass", newClasses);
        if (members.isEmpty()) {
            members.put(placeholder.toLowerCase(Locale.ROOT), placeholder);
            notes.add("no members: " + placeholder + " added, as Keycloak does for an empty group");
        }
        attributes.put("member", members.values().stream().map(m -> value("member", m, line)).toList());
    }

    private static boolean has(List<LdifRecords.Value> classes, String name) {
        return classes.stream().anyMatch(v -> v.text().strip().equalsIgnoreCase(name));
    }

    /** Keeps the first spelling of each member, compared without case and spaces after commas. */
    private static void put(Map<String, String> members, String dn) {
        members.putIfAbsent(dn.toLowerCase(Locale.ROOT).replaceAll(",\\s+", ","), dn);
    }

    /** {@code uid=x,dc=y#'0101'B} without its optional unique identifier (RFC 4517, Name and Optional UID). */
    static String withoutUniqueId(String value) {
        return value.replaceFirst("#'[01]*'B$", "");
    }

    private static LdifRecords.Value value(String attribute, String text, int line) {
        return new LdifRecords.Value(attribute, text.getBytes(StandardCharsets.UTF_8), line);
    }
}
