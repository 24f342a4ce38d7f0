package org.grouprelay.directory;

import org.apache.directory.api.ldap.model.schema.SchemaManager;
import org.apache.directory.server.core.api.DnFactory;
import org.apache.directory.server.core.api.partition.PartitionWriteTxn;
import org.apache.directory.server.core.partition.impl.btree.jdbm.JdbmPartition;

/** The JDBM partition that holds the directory's data; its write transactions take {@link CommitActions}. */
final class DataPartition extends JdbmPartition {
    DataPartition(SchemaManager schemaManager, DnFactory dnFactory) {
        super(schemaManager, dnFactory);
    }

    @Override
    public PartitionWriteTxn beginWriteTransaction() {
        return new CommitActions(super.beginWriteTransaction());
    }
}
