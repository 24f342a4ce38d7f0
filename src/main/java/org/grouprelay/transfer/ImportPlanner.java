package org.grouprelay.transfer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.directory.api.ldap.model.entry.DefaultEntry;
import org.apache.directory.api.ldap.model.entry.Entry;
import org.apache.directory.api.ldap.model.exception.LdapException;
import org.apache.directory.api.ldap.model.name.Dn;
import org.apache.directory.api.ldap.model.name.Rdn;
import org.apache.directory.api.ldap.model.password.PasswordUtil;
import org.apache.directory.api.ldap.model.schema.AttributeType;
import org.apache.directory.api.ldap.model.schema.SchemaManager;

/**
 * Turns the records of an LDIF file into the entries grouprelay will hold: DNs and DN values moved
 * from the file's suffix to ours; {@code entryUUID} kept (Keycloak's {@code LDAP_ID}); password hashes
 * kept in every scheme the directory verifies; operational attributes it sets itself dropped;
 * {@code posixGroup}/{@code memberUid} and {@code groupOfUniqueNames}/{@code uniqueMember} groups
 * mapped to {@code groupOfNames}. Whatever cannot be kept is named per entry, never silently lost.
 */
public final class ImportPlanner {
    /** Operational attributes an import sets: the identity Keycloak links by, and access control. */
    static final Set<String> IMPORTED_OPERATIONAL = Set.of("entryuuid", "administrativerole", "prescriptiveaci", "entryaci",
            "subentryaci", "subtreespecification");
    /**
     * Other servers' bookkeeping, unknown to grouprelay's schema and meaningless here (389-ds's entry ids and
     * nsUniqueId, OpenLDAP's contextCSN): dropped like the directory's own operational attributes.
     */
    static final Set<String> FOREIGN_OPERATIONAL = Set.of("nsuniqueid", "entryid", "parentid", "entrydn", "numsubordinates",
            "entryusn", "contextcsn", "nsparentuniqueid", "tombstonenumsubordinates", "hassubordinates", "structuralobjectclass");
    private static final String DN_SYNTAX = "1.3.6.1.4.1.1466.115.121.1.12";
    private static final String NAME_AND_UID_SYNTAX = "1.3.6.1.4.1.1466.115.121.1.34";
    private static final Set<String> SUFFIX_TYPES = Set.of("dc", "o", "c", "l", "domaincomponent", "organizationname");

    private final SchemaManager schema;
    private final Dn toSuffix;
    private final String placeholder;

    public ImportPlanner(SchemaManager schema, String toSuffix, String placeholder) throws LdapException {
        this.schema = schema;
        this.toSuffix = new Dn(schema, toSuffix);
        this.placeholder = placeholder;
    }

    public ImportPlan plan(List<LdifRecords.Record> records, Optional<String> fromSuffixOption) {
        List<Parsed> parsed = records.stream().map(r -> new Parsed(r, parseDn(r.dn(), r.line()))).toList();
        Dn from = fromSuffixOption.map(s -> parseDn(s, 0)).orElseGet(() -> detectSuffix(parsed.stream().map(Parsed::dn).toList()));
        Map<String, String> uids = uidIndex(parsed, from);
        List<PlannedEntry> entries = new ArrayList<>();
        List<String> skippedEntries = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        Set<String> dropped = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        for (Parsed each : parsed) {
            LdifRecords.Record record = each.record();
            Dn source = each.dn();
            if (!source.equals(from) && !source.isDescendantOf(from)) {
                skippedEntries.add("line " + record.line() + ": " + record.dn() + " is not under " + from.getName() + " (left out)");
                continue;
            }
            Dn target = rewrite(source, from);
            if (target.equals(toSuffix)) {
                notes.add(target.getName() + ": the suffix entry stays as it is");
                continue;
            }
            entries.add(new Conversion(record, target, from, uids, dropped).build());
        }
        entries.sort(Comparator.comparing(PlannedEntry::isGroup).thenComparingInt(e -> e.entry().getDn().size()));
        return new ImportPlan(from.getName(), toSuffix.getName(), entries, skippedEntries, notes, dropped);
    }

    /** A record and its DN as written (before the move to our suffix). */
    private record Parsed(LdifRecords.Record record, Dn dn) {
    }

    private Dn parseDn(String dn, int line) {
        try {
            return new Dn(schema, dn);
        } catch (LdapException | RuntimeException e) {
            throw new LdifRecords.LdifException(line, "\"" + dn + "\" is not a DN grouprelay can read: " + e.getMessage());
        }
    }

    /**
     * The nearest naming context (an entry named dc=, o=, c= or l=, or our suffix) above or at the entry that all
     * the file's entries share: the suffix of a whole-directory dump, also when its top entries are missing.
     */
    private Dn detectSuffix(java.util.Collection<Dn> dns) {
        Dn common = dns.stream().findFirst().orElse(toSuffix);
        for (Dn dn : dns) {
            while (!dn.equals(common) && !dn.isDescendantOf(common)) {
                common = common.getParent();
            }
        }
        for (Dn candidate = common; !candidate.isEmpty(); candidate = candidate.getParent()) {
            if (candidate.equals(toSuffix) || SUFFIX_TYPES.contains(candidate.getRdn().getType().toLowerCase(Locale.ROOT))) {
                return candidate;
            }
        }
        throw new TransferException("cannot tell which suffix the file was written under (its entries share "
                + (common.isEmpty() ? "no parent" : common.getName()) + "); give it with --from-suffix DN");
    }

    /** {@code dn} moved from under {@code from} to under our suffix; other DNs as they are. */
    Dn rewrite(Dn dn, Dn from) {
        if (!dn.equals(from) && !dn.isDescendantOf(from)) {
            return dn;
        }
        List<Rdn> rdns = dn.getRdns().subList(0, dn.size() - from.size());
        String relative = rdns.stream().map(Rdn::getName).collect(Collectors.joining(","));
        try {
            return new Dn(schema, relative.isEmpty() ? toSuffix.getName() : relative + "," + toSuffix.getName());
        } catch (LdapException e) {
            throw new IllegalStateException(e);
        }
    }

    /** uid (lower case) to the rewritten DN of the entry that has it: how memberUid values find their member. */
    private Map<String, String> uidIndex(List<Parsed> parsed, Dn from) {
        Map<String, String> uids = new HashMap<>();
        for (Parsed each : parsed) {
            String member = null;
            for (LdifRecords.Value value : each.record().values()) {
                if (value.attribute().equalsIgnoreCase("uid")) {
                    member = member == null ? rewrite(each.dn(), from).getName() : member;
                    uids.putIfAbsent(value.text().strip().toLowerCase(Locale.ROOT), member);
                }
            }
        }
        return uids;
    }

    /** One record's conversion, collecting what was mapped and what was left out. */
    private final class Conversion {
        private final LdifRecords.Record record;
        private final Dn dn;
        private final Dn from;
        private final Map<String, String> uids;
        private final Set<String> droppedOperational;
        private final Map<String, List<LdifRecords.Value>> attributes = new LinkedHashMap<>();
        private final List<String> notes = new ArrayList<>();
        private final List<String> skipped = new ArrayList<>();

        Conversion(LdifRecords.Record record, Dn dn, Dn from, Map<String, String> uids, Set<String> droppedOperational) {
            this.record = record;
            this.dn = dn;
            this.from = from;
            this.uids = uids;
            this.droppedOperational = droppedOperational;
            for (LdifRecords.Value value : record.values()) {
                AttributeType type = schema.getAttributeType(value.attribute());
                String name = type == null ? value.attribute() : type.getName();
                attributes.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(value);
            }
        }

        PlannedEntry build() {
            GroupMapping.map(attributes, this::rewriteValue, uids, placeholder, record.line(), notes, skipped);
            Entry entry = new DefaultEntry(schema);
            entry.setDn(dn);
            List<String> unknownClasses = new ArrayList<>();
            List<String> unknownAttributes = new ArrayList<>();
            for (Map.Entry<String, List<LdifRecords.Value>> attribute : attributes.entrySet()) {
                AttributeType type = schema.getAttributeType(attribute.getKey());
                List<LdifRecords.Value> values = attribute.getValue();
                if (type == null && FOREIGN_OPERATIONAL.contains(attribute.getKey())) {
                    droppedOperational.add(values.get(0).attribute());
                } else if (type == null) {
                    unknownAttributes.add(values.get(0).attribute());
                } else if (type.getName().equalsIgnoreCase("objectClass")) {
                    for (LdifRecords.Value value : values) {
                        if (!schema.getObjectClassRegistry().contains(value.text().strip())) {
                            unknownClasses.add(value.text().strip());
                        } else {
                            add(entry, type, value.text().strip());
                        }
                    }
                } else if (!type.isUser() && !IMPORTED_OPERATIONAL.contains(attribute.getKey())) {
                    droppedOperational.add(type.getName());
                } else {
                    for (LdifRecords.Value value : values) {
                        keep(entry, type, value);
                    }
                }
            }
            if (!unknownClasses.isEmpty()) {
                skipped.add("objectClass " + String.join(", ", unknownClasses) + " not in grouprelay's schema: left out");
            }
            if (!unknownAttributes.isEmpty()) {
                skipped.add("attribute" + (unknownAttributes.size() > 1 ? "s " : " ") + String.join(", ", unknownAttributes)
                        + " not in grouprelay's schema: left out");
            }
            return new PlannedEntry(record.line(), entry, notes, skipped);
        }

        private void keep(Entry entry, AttributeType type, LdifRecords.Value value) {
            String name = type.getName().toLowerCase(Locale.ROOT);
            if (name.equals("entryuuid")) {
                try {
                    add(entry, type, UUID.fromString(value.text().strip()).toString());
                } catch (IllegalArgumentException e) {
                    skipped.add("entryUUID " + value.text() + " is not a UUID: left out (the entry gets a new one)");
                }
            } else if (name.equals("userpassword")) {
                password(entry, type, value);
            } else if (name.equals("grouprelaymemberexpiry")) {
                add(entry, type, withRewrittenMember(value.text().strip()));
            } else if (isDn(type)) {
                add(entry, type, rewriteValue(value.text().strip()));
            } else if (type.getSyntax() == null || type.getSyntax().isHumanReadable()) {
                add(entry, type, value.text());
            } else {
                add(entry, type, value.bytes());
            }
        }

        /** Hashes the directory can verify are kept as they are; clear text is hashed on write; other schemes cannot log in. */
        private void password(Entry entry, AttributeType type, LdifRecords.Value value) {
            String text = value.text();
            if (text.startsWith("{") && PasswordUtil.findAlgorithm(value.bytes()) == null) {
                // {CRYPT}$2y$...: name the crypt variant too, {CRYPT} alone is one the directory verifies
                String scheme = text.replaceFirst("^(\\{[^}]*\\}(\\$[^$]{1,3}\\$)?).*$", "$1");
                skipped.add("userPassword in scheme " + scheme + " cannot be verified by grouprelay: left out (set a new password)");
            } else {
                add(entry, type, value.bytes());
            }
        }

        private boolean isDn(AttributeType type) {
            String syntax = type.getSyntaxOid();
            return DN_SYNTAX.equals(syntax) || NAME_AND_UID_SYNTAX.equals(syntax);
        }

        /** {@code <time> <member DN>}: the member moves to our suffix like the member value it names. */
        private String withRewrittenMember(String expiry) {
            int space = expiry.indexOf(' ');
            return space < 0 ? expiry : expiry.substring(0, space) + " " + rewriteValue(expiry.substring(space + 1).strip());
        }

        String rewriteValue(String dnText) {
            try {
                return rewrite(new Dn(schema, dnText), from).getName();
            } catch (LdapException | RuntimeException e) {
                return dnText;
            }
        }

        private void add(Entry entry, AttributeType type, String value) {
            try {
                entry.add(type, value);
            } catch (LdapException | RuntimeException e) {
                skipped.add(type.getName() + " value \"" + value + "\" refused by the schema (" + e.getMessage() + "): left out");
            }
        }

        private void add(Entry entry, AttributeType type, byte[] value) {
            try {
                entry.add(type, value);
            } catch (LdapException | RuntimeException e) {
                skipped.add(type.getName() + " value refused by the schema (" + e.getMessage() + "): left out");
            }
        }
    }
}
