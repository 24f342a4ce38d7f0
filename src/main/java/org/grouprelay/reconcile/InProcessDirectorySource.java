package org.grouprelay.reconcile;

import java.io.IOException;
import java.util.List;
import java.util.function.Consumer;
import org.apache.directory.api.ldap.model.cursor.Cursor;
import org.apache.directory.api.ldap.model.cursor.CursorException;
import org.apache.directory.api.ldap.model.cursor.Tuple;
import org.apache.directory.api.ldap.model.entry.Attribute;
import org.apache.directory.api.ldap.model.entry.DefaultEntry;
import org.apache.directory.api.ldap.model.entry.Entry;
import org.apache.directory.api.ldap.model.exception.LdapException;
import org.apache.directory.api.ldap.model.exception.LdapNoSuchObjectException;
import org.apache.directory.api.ldap.model.filter.ExprNode;
import org.apache.directory.api.ldap.model.filter.FilterParser;
import org.apache.directory.api.ldap.model.message.AliasDerefMode;
import org.apache.directory.api.ldap.model.message.SearchScope;
import org.apache.directory.api.ldap.model.name.Dn;
import org.apache.directory.api.ldap.model.schema.SchemaManager;
import org.apache.directory.api.ldap.model.schema.normalizers.ConcreteNameComponentNormalizer;
import org.apache.directory.server.core.api.DirectoryService;
import org.apache.directory.server.core.api.normalization.FilterNormalizingVisitor;
import org.apache.directory.server.core.api.partition.Partition;
import org.apache.directory.server.core.api.partition.PartitionTxn;
import org.apache.directory.server.xdbm.IndexEntry;
import org.apache.directory.server.xdbm.Store;
import org.apache.directory.server.xdbm.search.Evaluator;
import org.apache.directory.server.xdbm.search.impl.EvaluatorBuilder;

/**
 * The embedded directory, read without the network and without access control. A subtree in a JDBM partition is read
 * in the partition's storage order: one pass over its entry table, each entry's DN rebuilt from the RDN index, the
 * filter evaluated by ApacheDS's own evaluators. A search would visit the entries in index order instead, and JDBM
 * then reads and deserialises a whole B-tree page of 16 entries for nearly every entry (its page cache holds 100
 * pages): with 100,000 people that was 26 s for the people alone, against about 2 s for one pass over all 110,000
 * entries. The pass holds the directory's read lock, as a search does; writes wait for it.
 */
public final class InProcessDirectorySource implements DirectorySource {
    private final DirectoryService service;

    public InProcessDirectorySource(DirectoryService service) {
        this.service = service;
    }

    @Override
    public void search(String base, String filter, List<String> attributes, Consumer<Entry> each) throws LdapException {
        SchemaManager schemaManager = service.getSchemaManager();
        Dn baseDn = new Dn(schemaManager, base);
        ExprNode node;
        try {
            node = FilterParser.parse(schemaManager, filter);
        } catch (java.text.ParseException e) {
            throw new LdapException("reading " + base + ": filter " + filter + ": " + e.getMessage(), e);
        }
        Partition partition = service.getPartitionNexus().getPartition(baseDn);
        if (partition instanceof Store store) {
            // as ApacheDS's normalization step does for a search; the evaluators expect normalized assertion values
            ExprNode normalized = (ExprNode) node.accept(new FilterNormalizingVisitor(new ConcreteNameComponentNormalizer(schemaManager),
                    schemaManager));
            if (normalized != null) { // null: an attribute type the schema does not know, which matches nothing
                scan(partition, store, baseDn, normalized, attributes, each);
            }
            return;
        }
        try (Cursor<Entry> cursor = service.getAdminSession().search(baseDn, SearchScope.SUBTREE, node,
                AliasDerefMode.NEVER_DEREF_ALIASES, attributes.toArray(String[]::new))) {
            while (cursor.next()) {
                each.accept(cursor.get());
            }
        } catch (CursorException | IOException e) {
            throw new LdapException("reading " + base + ": " + e.getMessage(), e);
        }
    }

    /** Every entry of {@code partition} at or below {@code base} matching {@code node}, in storage order. */
    private void scan(Partition partition, Store store, Dn base, ExprNode node, List<String> attributes, Consumer<Entry> each)
            throws LdapException {
        service.getOperationManager().lockRead();
        try (PartitionTxn txn = partition.beginReadTransaction();
                Cursor<Tuple<String, Entry>> cursor = store.getMasterTable().cursor()) {
            if (store.getEntryId(txn, base) == null) {
                throw new LdapNoSuchObjectException("reading " + base + ": no such entry");
            }
            Evaluator<? extends ExprNode> evaluator = new EvaluatorBuilder(store, service.getSchemaManager()).build(txn, node);
            while (cursor.next()) {
                Tuple<String, Entry> stored = cursor.get();
                Dn dn = store.getEntryDn(txn, stored.getKey());
                if (dn == null || !dn.isDescendantOf(base)) {
                    continue;
                }
                // evaluated as a search evaluates a candidate (an entry alone misses, e.g., substring normalization)
                IndexEntry<String, String> candidate = new IndexEntry<>();
                candidate.setId(stored.getKey());
                candidate.setEntry(stored.getValue());
                if (evaluator.evaluate(txn, candidate)) {
                    each.accept(selected(dn, stored.getValue(), attributes));
                }
            }
        } catch (CursorException | IOException e) {
            throw new LdapException("reading " + base + ": " + e.getMessage(), e);
        } finally {
            service.getOperationManager().unlockRead();
        }
    }

    /** {@code attributes} of the stored entry (shared with the partition's cache: read, never change them) under {@code dn}. */
    private Entry selected(Dn dn, Entry stored, List<String> attributes) throws LdapException {
        Entry entry = new DefaultEntry(service.getSchemaManager(), dn);
        for (String name : attributes) {
            Attribute attribute = stored.get(name);
            if (attribute != null) {
                entry.put(attribute);
            }
        }
        return entry;
    }

    @Override
    public SchemaManager schemaManager() {
        return service.getSchemaManager();
    }

    @Override
    public void close() {
        // the directory belongs to serve
    }
}
