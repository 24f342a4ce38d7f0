package org.grouprelay.directory;

import java.io.File;
import java.io.IOException;
import org.apache.directory.api.ldap.model.exception.LdapException;
import org.apache.directory.api.ldap.model.exception.LdapOtherException;
import org.apache.directory.api.ldap.model.schema.SchemaManager;
import org.apache.directory.server.core.api.DnFactory;
import org.apache.directory.server.core.partition.impl.btree.jdbm.JdbmPartition;

/**
 * A JDBM partition whose transaction log is replayed ({@link StorageLog}) before ApacheDS opens it. Done here, in the
 * partition's initialization, because the directory service takes its lock on the data directory before it
 * initializes partitions: a second process started on the same data directory is refused before it touches a file.
 */
class ReplayedJdbmPartition extends JdbmPartition {
    ReplayedJdbmPartition(SchemaManager schemaManager, DnFactory dnFactory) {
        super(schemaManager, dnFactory);
    }

    @Override
    protected void doInit() throws LdapException {
        try {
            StorageLog.replay(new File(getPartitionPath()), getId());
        } catch (IOException e) {
            throw new LdapOtherException(e.getMessage(), e);
        }
        super.doInit();
    }
}
