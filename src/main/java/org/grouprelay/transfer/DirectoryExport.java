package org.grouprelay.transfer;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.directory.api.ldap.model.cursor.CursorException;
import org.apache.directory.api.ldap.model.cursor.SearchCursor;
import org.apache.directory.api.ldap.model.entry.Attribute;
import org.apache.directory.api.ldap.model.entry.DefaultEntry;
import org.apache.directory.api.ldap.model.entry.Entry;
import org.apache.directory.api.ldap.model.exception.LdapException;
import org.apache.directory.api.ldap.model.ldif.LdifUtils;
import org.apache.directory.api.ldap.model.message.SearchRequest;
import org.apache.directory.api.ldap.model.message.SearchRequestImpl;
import org.apache.directory.api.ldap.model.message.SearchResultEntry;
import org.apache.directory.api.ldap.model.message.SearchScope;
import org.apache.directory.api.ldap.model.message.controls.SubentriesImpl;
import org.apache.directory.api.ldap.model.name.Dn;
import org.apache.directory.api.ldap.model.schema.AttributeType;
import org.apache.directory.api.ldap.model.schema.SchemaManager;
import org.apache.directory.ldap.client.api.LdapConnection;

/**
 * Reads a subtree of the directory for an export: every entry with its user attributes (password
 * hashes included, as the administrator reads them) and the operational attributes a restore needs
 * ({@link #KEPT_OPERATIONAL}), then the access-control subentries, sorted parents first.
 * <p>
 * Consistency: the directory answers one search while holding its read lock until the last entry
 * (see {@code directory.LockedSearches}), so the entries are one point in time; writes wait for the
 * export. The subentries (access control, rarely changed) are read by a second search.
 */
public final class DirectoryExport {
    /** Operational attributes that travel: the identity Keycloak links by, history, and access control. */
    static final Set<String> KEPT_OPERATIONAL = Set.of("entryuuid", "createtimestamp", "modifytimestamp", "administrativerole",
            "prescriptiveaci", "entryaci", "subentryaci", "subtreespecification");

    private final SchemaManager schema;

    public DirectoryExport(SchemaManager schema) {
        this.schema = schema;
    }

    /** The entries under {@code base} (inclusive), parents before children. */
    public List<Entry> read(LdapConnection connection, String base) throws LdapException {
        List<Entry> entries = new ArrayList<>();
        search(connection, base, "(objectClass=*)", false, entries);
        search(connection, base, "(objectClass=subentry)", true, entries);
        entries.sort(PARENTS_FIRST);
        return entries;
    }

    /** Fewer RDNs first; then by normalized DN, so that the same directory always writes the same file. */
    public static final Comparator<Entry> PARENTS_FIRST = Comparator.<Entry>comparingInt(e -> e.getDn().size())
            .thenComparing(e -> e.getDn().getNormName());

    private void search(LdapConnection connection, String base, String filter, boolean subentries, List<Entry> into)
            throws LdapException {
        SearchRequest request = new SearchRequestImpl();
        request.setBase(new Dn(base));
        request.setScope(SearchScope.SUBTREE);
        request.setFilter(filter);
        request.addAttributes("*", "+");
        if (subentries) {
            SubentriesImpl control = new SubentriesImpl();
            control.setVisibility(true);
            request.addControl(control);
        }
        try (SearchCursor cursor = connection.search(request)) {
            while (cursor.next()) {
                if (cursor.isEntry()) {
                    into.add(kept(((SearchResultEntry) cursor.get()).getEntry()));
                }
            }
            if (cursor.getSearchResultDone() != null
                    && cursor.getSearchResultDone().getLdapResult().getResultCode().getResultCode() != 0) {
                throw new LdapException("reading " + base + ": " + cursor.getSearchResultDone().getLdapResult().getDiagnosticMessage());
            }
        } catch (CursorException | IOException e) {
            throw new LdapException("reading " + base + ": " + e.getMessage(), e);
        }
    }

    /** The entry without the operational attributes the directory computes (entryDN, nbChildren, ...). */
    private Entry kept(Entry entry) throws LdapException {
        Entry kept = new DefaultEntry(entry.getDn());
        for (Attribute attribute : entry) {
            AttributeType type = schema.getAttributeType(attribute.getUpId());
            String name = type == null ? attribute.getUpId() : type.getName();
            if (type == null || type.isUser() || KEPT_OPERATIONAL.contains(name.toLowerCase(Locale.ROOT))) {
                kept.add(attribute);
            }
        }
        return kept;
    }

    /** Writes {@code entries} as LDIF: objectClass first, then user attributes, then operational ones, each by name. */
    public void write(List<Entry> entries, List<String> header, Writer out) throws IOException {
        for (String line : header) {
            out.write("# " + line + "\n");
        }
        out.write("version: 1\n");
        for (Entry entry : entries) {
            out.write("\n");
            String dn = entry.getDn().getName();
            out.write(LdifUtils.isLDIFSafe(dn) ? LdifUtils.stripLineToNChars("dn: " + dn, 78)
                    : "dn:: " + java.util.Base64.getEncoder().encodeToString(dn.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            out.write("\n");
            List<Attribute> attributes = new ArrayList<>();
            entry.forEach(attributes::add);
            attributes.sort(Comparator.comparingInt(this::rank).thenComparing(a -> a.getUpId().toLowerCase(Locale.ROOT)));
            for (Attribute attribute : attributes) {
                for (org.apache.directory.api.ldap.model.entry.Value value : attribute) {
                    out.write(line(attribute.getUpId(), value));
                }
            }
        }
        out.flush();
    }

    /**
     * {@code name: value} for text that LDIF can carry as it is; base64 ({@code name:: ...}) for binary attributes
     * (password hashes, as slapcat writes them) and unsafe text. Folded at 78 characters.
     */
    private String line(String name, org.apache.directory.api.ldap.model.entry.Value value) {
        AttributeType type = schema.getAttributeType(name);
        boolean text = type == null ? value.isHumanReadable() : type.getSyntax() == null || type.getSyntax().isHumanReadable();
        byte[] bytes = value.getBytes();
        String string = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
        String line = text && LdifUtils.isLDIFSafe(string) ? name + ": " + string
                : name + ":: " + java.util.Base64.getEncoder().encodeToString(bytes);
        return LdifUtils.stripLineToNChars(line, 78) + "\n";
    }

    private int rank(Attribute attribute) {
        if (attribute.getUpId().equalsIgnoreCase("objectClass")) {
            return 0;
        }
        AttributeType type = schema.getAttributeType(attribute.getUpId());
        return type == null || type.isUser() ? 1 : 2;
    }
}
