package org.grouprelay.capture;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.directory.api.ldap.model.constants.SchemaConstants;
import org.apache.directory.api.ldap.model.cursor.Cursor;
import org.apache.directory.api.ldap.model.cursor.CursorException;
import org.apache.directory.api.ldap.model.exception.LdapException;
import org.apache.directory.api.ldap.model.name.Dn;
import org.apache.directory.server.core.api.DirectoryService;
import org.apache.directory.server.core.api.partition.Partition;
import org.apache.directory.server.core.api.partition.PartitionTxn;
import org.apache.directory.server.xdbm.Index;
import org.apache.directory.server.xdbm.IndexEntry;
import org.apache.directory.server.xdbm.IndexNotFoundException;
import org.apache.directory.server.xdbm.Store;
import org.grouprelay.membership.Scope;

/**
 * The groups that list a member value, read from the partition's {@code member} index. A search
 * for {@code (member=X)} would load and copy every matching group entry with all its values (a
 * group of 50,000 members costs milliseconds); this reads only the index, the objectClass index
 * and the entry's DN. Reads run under the lock of the operation being captured, like a search.
 */
final class MemberIndex {
    private final Partition partition;
    private final Store store;
    private final Index<String, String> members;
    private final String groupOfNames;
    private final Scope scope;
    private final GroupIds groupIds;
    /** Entry id → the managed group it is, or empty when it is none; for one operation. */
    private final Map<String, Optional<GroupGraph.Link>> links = new HashMap<>();

    private MemberIndex(Partition partition, Store store, Index<String, String> members, String groupOfNames, Scope scope,
            GroupIds groupIds) {
        this.partition = partition;
        this.store = store;
        this.members = members;
        this.groupOfNames = groupOfNames;
        this.scope = scope;
        this.groupIds = groupIds;
    }

    /** The index of the partition holding groupsDn, or null where there is none (then searches answer). */
    @SuppressWarnings("unchecked")
    static MemberIndex of(DirectoryService service, Scope scope, GroupIds groupIds) {
        try {
            Partition partition = service.getPartitionNexus().getPartition(scope.groupsDn());
            if (!(partition instanceof Store store) || !store.hasIndexOn(scope.memberType())) {
                return null;
            }
            String groupOfNames = scope.schemaManager().getAttributeType(SchemaConstants.OBJECT_CLASS_AT).getEquality()
                    .getNormalizer().normalize(SchemaConstants.GROUP_OF_NAMES_OC);
            return new MemberIndex(partition, store, (Index<String, String>) store.getIndex(scope.memberType()), groupOfNames, scope,
                    groupIds);
        } catch (LdapException | IndexNotFoundException | RuntimeException e) {
            return null;
        }
    }

    /** groupOfNames entries under groupsDn with a member value whose normalized form is {@code norm}. */
    List<GroupGraph.Link> listing(String norm) throws LdapException {
        List<String> ids = new ArrayList<>();
        List<GroupGraph.Link> links = new ArrayList<>();
        try (PartitionTxn txn = partition.beginReadTransaction()) {
            try (Cursor<IndexEntry<String, String>> cursor = members.forwardCursor(txn, norm)) {
                while (cursor.next()) {
                    ids.add(cursor.get().getId());
                }
            }
            for (String id : ids) {
                Optional<GroupGraph.Link> link = this.links.get(id);
                if (link == null) {
                    link = Optional.empty();
                    if (isGroupOfNames(txn, id)) {
                        Dn dn = store.getEntryDn(txn, id);
                        if (dn != null && dn.isDescendantOf(scope.groupsDn())) {
                            // the partition's DN is schema-aware: its normalized name is what scope.norm would compute again
                            String groupNorm = dn.isSchemaAware() ? dn.getNormName() : scope.norm(dn.getName());
                            link = Optional.of(new GroupGraph.Link(groupNorm, dn.getName(), id));
                        }
                    }
                    this.links.put(id, link);
                }
                link.ifPresent(links::add);
            }
        } catch (IOException | CursorException e) {
            throw new LdapException("reading the member index for " + norm + ": " + e.getMessage(), e);
        }
        return links;
    }

    private boolean isGroupOfNames(PartitionTxn txn, String id) throws LdapException {
        Boolean known = groupIds.get(id);
        if (known == null) {
            known = store.getObjectClassIndex().forward(txn, groupOfNames, id);
            groupIds.put(id, known);
        }
        return known;
    }
}
