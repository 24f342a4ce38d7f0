package org.grouprelay.directory;

import org.apache.directory.api.ldap.model.exception.LdapException;
import org.apache.directory.api.ldap.model.schema.SchemaManager;
import org.apache.directory.server.core.api.DnFactory;
import org.apache.directory.server.core.api.partition.PartitionWriteTxn;

/**
 * The JDBM partition that holds the directory's data; its write transactions take {@link CommitActions}, its searches
 * read entries in storage order, its log is replayed before it opens.
 */
final class DataPartition extends ReplayedJdbmPartition {
    DataPartition(SchemaManager schemaManager, DnFactory dnFactory) {
        super(schemaManager, dnFactory);
    }

    /** ApacheDS's own initialization, then searches that read the entry table in its storage order ({@link StorageOrder}). */
    @Override
    protected void doInit() throws LdapException {
        super.doInit();
        if (!(getSearchEngine() instanceof StorageOrder)) {
            setSearchEngine(new StorageOrder(getSearchEngine(), getMasterTable().getKeyComparator()));
        }
    }

    @Override
    public PartitionWriteTxn beginWriteTransaction() {
        return new CommitActions(super.beginWriteTransaction());
    }
}
