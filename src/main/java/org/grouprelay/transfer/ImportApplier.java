package org.grouprelay.transfer;

import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.directory.api.ldap.model.entry.Attribute;
import org.apache.directory.api.ldap.model.entry.DefaultEntry;
import org.apache.directory.api.ldap.model.entry.DefaultModification;
import org.apache.directory.api.ldap.model.entry.Entry;
import org.apache.directory.api.ldap.model.entry.Modification;
import org.apache.directory.api.ldap.model.entry.ModificationOperation;
import org.apache.directory.api.ldap.model.entry.Value;
import org.apache.directory.api.ldap.model.exception.LdapException;
import org.apache.directory.api.ldap.model.exception.LdapOperationException;
import org.apache.directory.api.ldap.model.name.Dn;
import org.apache.directory.api.ldap.model.password.PasswordUtil;
import org.apache.directory.api.ldap.model.schema.SchemaManager;
import org.apache.directory.ldap.client.api.LdapConnection;

/**
 * Writes a plan into the running directory as the administrator, entry by entry, so each write goes
 * through the relay like any other: a missing entry is added (with the file's {@code entryUUID}), an
 * existing one gets the attributes the file names replaced where they differ (object classes only
 * added), an equal one is left alone. Nothing is deleted. A dry run reads and compares the same way
 * and writes nothing.
 */
public final class ImportApplier {
    private final SchemaManager schema;
    private final LdapConnection connection;
    private final boolean dryRun;
    private final Dn peopleDn;

    /** {@code peopleDn}: where Keycloak's users are, the entries it links by entryUUID. */
    public ImportApplier(SchemaManager schema, LdapConnection connection, boolean dryRun, String peopleDn) throws LdapException {
        this.schema = schema;
        this.connection = connection;
        this.dryRun = dryRun;
        this.peopleDn = new Dn(schema, peopleDn);
    }

    /** What the import did (or would do). */
    public record Result(int created, int changed, int unchanged, int skipped) {
    }

    public Result apply(ImportPlan plan, Consumer<String> out) throws LdapException {
        String would = dryRun ? "would " : "";
        plan.notes().forEach(n -> out.accept("note    " + n));
        plan.skippedEntries().forEach(s -> out.accept("skip    " + s));
        int created = 0;
        int changed = 0;
        int unchanged = 0;
        int skipped = plan.skippedEntries().size();
        for (PlannedEntry planned : plan.entries()) {
            String dn = planned.entry().getDn().getName();
            planned.notes().forEach(n -> out.accept("note    " + dn + ": " + n));
            boolean partly = !planned.skipped().isEmpty();
            planned.skipped().forEach(s -> out.accept("skip    " + dn + " (line " + planned.line() + "): " + s));
            Entry existing = connection.lookup(planned.entry().getDn(), requested(planned.entry()));
            try {
                if (existing == null) {
                    if (!dryRun) {
                        connection.add(planned.entry());
                    }
                    out.accept((dryRun ? "would create " : "create  ") + dn);
                    created++;
                } else {
                    Diff diff = diff(planned.entry(), new DefaultEntry(schema, existing));
                    boolean linked = isLinkedByKeycloak(planned.entry());
                    diff.conflicts().forEach(c -> out.accept((linked ? "skip    " : "note    ") + dn + ": " + c));
                    partly |= linked && !diff.conflicts().isEmpty();
                    if (diff.modifications().isEmpty()) {
                        unchanged++;
                    } else {
                        if (!dryRun) {
                            connection.modify(planned.entry().getDn(), diff.modifications().toArray(Modification[]::new));
                        }
                        out.accept((dryRun ? "would change " : "change  ") + dn + " (" + String.join(", ", diff.names()) + ")");
                        changed++;
                    }
                }
            } catch (LdapOperationException e) {
                out.accept("skip    " + dn + " (line " + planned.line() + "): the directory " + would + "refused it: "
                        + e.getResultCode().getMessage() + " (" + e.getResultCode().getResultCode() + ") " + oneLine(e.getMessage()));
                partly = true;
            }
            if (partly) {
                skipped++;
            }
        }
        return new Result(created, changed, unchanged, skipped);
    }

    /** Keycloak links the users under directory.peopleDn by entryUUID; any other entry keeping its own is only worth a note. */
    private boolean isLinkedByKeycloak(Entry entry) {
        return entry.getDn().size() > peopleDn.size() && entry.getDn().isDescendantOf(peopleDn);
    }

    private static String[] requested(Entry entry) {
        List<String> names = new ArrayList<>(List.of("*"));
        for (Attribute attribute : entry) {
            if (attribute.getAttributeType() != null && !attribute.getAttributeType().isUser()) {
                names.add(attribute.getAttributeType().getName());
            }
        }
        return names.toArray(String[]::new);
    }

    private record Diff(List<Modification> modifications, List<String> names, List<String> conflicts) {
    }

    private Diff diff(Entry wanted, Entry existing) {
        List<Modification> modifications = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<String> conflicts = new ArrayList<>();
        for (Attribute attribute : wanted) {
            String name = attribute.getAttributeType().getName();
            Attribute current = existing.get(attribute.getAttributeType());
            if (name.equalsIgnoreCase("entryUUID")) {
                if (current != null && !normalized(current).equals(normalized(attribute))) {
                    conflicts.add("exists with entryUUID " + current.get() + ", the file has " + attribute.get()
                            + ": the directory's is kept (Keycloak's links follow it)");
                }
            } else if (name.equalsIgnoreCase("objectClass")) {
                Set<String> have = current == null ? Set.of() : normalized(current);
                List<Value> missing = new ArrayList<>();
                attribute.forEach(v -> {
                    if (!have.contains(v.getNormalized())) {
                        missing.add(v);
                    }
                });
                if (!missing.isEmpty()) {
                    modifications.add(new DefaultModification(ModificationOperation.ADD_ATTRIBUTE, name,
                            missing.stream().map(Value::getString).toArray(String[]::new)));
                    names.add(name);
                }
            } else if (current == null || !same(name, attribute, current)) {
                modifications.add(new DefaultModification(ModificationOperation.REPLACE_ATTRIBUTE, attribute));
                names.add(name);
            }
        }
        return new Diff(modifications, names, conflicts);
    }

    /** Equal value sets; a clear-text password in the file equals the hash the directory stored for it. */
    private boolean same(String name, Attribute wanted, Attribute current) {
        if (normalized(wanted).equals(normalized(current))) {
            return true;
        }
        if (!name.equalsIgnoreCase("userPassword") || wanted.size() != current.size()) {
            return false;
        }
        Set<Value> unmatched = new HashSet<>();
        current.forEach(unmatched::add);
        for (Value value : wanted) {
            Value match = unmatched.stream().filter(stored -> PasswordUtil.compareCredentials(value.getBytes(), stored.getBytes()))
                    .findFirst().orElse(null);
            if (match == null) {
                return false;
            }
            unmatched.remove(match);
        }
        return true;
    }

    private static Set<String> normalized(Attribute attribute) {
        Set<String> values = new HashSet<>();
        for (Value value : attribute) {
            values.add(value.isHumanReadable() ? value.getNormalized()
                    : Base64.getEncoder().encodeToString(value.getBytes()));
        }
        return values;
    }

    private static String oneLine(String message) {
        return message == null ? "" : message.replaceAll("\\s+", " ").strip();
    }
}
