package org.grouprelay.directory;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import org.apache.directory.api.ldap.model.exception.LdapException;
import org.apache.directory.api.ldap.model.name.Dn;
import org.apache.directory.api.ldap.model.schema.LdapComparator;
import org.apache.directory.api.ldap.model.schema.SchemaManager;
import org.apache.directory.api.ldap.model.schema.comparators.NormalizingComparator;
import org.apache.directory.api.ldap.schema.extractor.impl.DefaultSchemaLdifExtractor;
import org.apache.directory.api.ldap.schema.loader.LdifSchemaLoader;
import org.apache.directory.api.ldap.schema.manager.impl.DefaultSchemaManager;
import org.apache.directory.server.core.DefaultDirectoryService;
import org.apache.directory.server.core.api.DnFactory;
import org.apache.directory.server.core.api.InstanceLayout;
import org.apache.directory.server.core.api.interceptor.Interceptor;
import org.apache.directory.server.core.api.schema.SchemaPartition;
import org.apache.directory.server.core.hash.Ssha512PasswordHashingInterceptor;
import org.apache.directory.server.core.partition.impl.btree.jdbm.JdbmIndex;
import org.apache.directory.server.core.partition.impl.btree.jdbm.JdbmPartition;
import org.apache.directory.server.core.partition.ldif.LdifPartition;
import org.apache.directory.server.core.shared.DefaultDnFactory;
import org.grouprelay.config.AccessConfig;
import org.grouprelay.config.DirectoryConfig;

/**
 * Wires an ApacheDS {@link DefaultDirectoryService} by hand: LDIF schema partition, JDBM system and
 * data partitions under {@code dataDir}, access control by {@link AccessRules} (or ApacheDS's ACIs, as configured),
 * anonymous access off, passwords hashed.
 * (DefaultDirectoryServiceFactory is avoided on purpose: its init() wipes the working directory.)
 */
final class DirectoryServiceBuilder {
    static final String DATA_PARTITION_ID = "grouprelay";
    /** Password hashing goes right after schema checking: authentication, ACI and schema have run. */
    private static final String HASH_AFTER = "schemaInterceptor";
    /**
     * The relay's interceptors go after the operational attributes are set: authentication, ACI and
     * schema checks have run, and a new entry already has its entryUUID (the Seafile link's key).
     * (Setting entryUUID ourselves would make ApacheDS refuse the add for non-admin users such as
     * Keycloak's service account: "operational attribute cannot be modified by a user".)
     */
    private static final String RELAY_AFTER = "operationalAttributeInterceptor";

    /** Expiry values are settled before the schema check, so the values it adds and removes are checked too. */
    private static final String EXPIRY_BEFORE = "schemaInterceptor";

    /** ApacheDS's access control: X.500 ACIs, and the fixed rules it applies when ACIs are off. Replaced by {@link AccessRules}. */
    private static final String ACI = "aciAuthorizationInterceptor";
    private static final String DEFAULT_AUTHORIZATION = "defaultAuthorizationInterceptor";

    private final DirectoryConfig config;
    private final List<Interceptor> extraInterceptors;
    private final java.time.Clock clock;

    DirectoryServiceBuilder(DirectoryConfig config, List<Interceptor> extraInterceptors, java.time.Clock clock) {
        this.config = config;
        this.extraInterceptors = List.copyOf(extraInterceptors);
        this.clock = clock;
    }

    DefaultDirectoryService build() throws Exception {
        DefaultDirectoryService service = new DefaultDirectoryService();
        InstanceLayout layout = new InstanceLayout(config.dataDir().toAbsolutePath().toFile());
        service.setInstanceLayout(layout);
        service.setInstanceId("grouprelay");
        service.setShutdownHookEnabled(false);
        service.setExitVmOnShutdown(false);
        boolean aci = config.access().engine() == AccessConfig.Engine.APACHEDS;
        service.setAccessControlEnabled(aci);
        service.setAllowAnonymousAccess(false);
        service.getChangeLog().setEnabled(false);

        SchemaManager schemaManager = schemaManager(layout.getPartitionsDirectory());
        service.setSchemaManager(schemaManager);
        DnFactory dnFactory = new DefaultDnFactory(schemaManager, 10_000);
        service.setDnFactory(dnFactory);

        LdifPartition schemaLdif = new LdifPartition(schemaManager, dnFactory);
        schemaLdif.setPartitionPath(new File(layout.getPartitionsDirectory(), "schema").toURI());
        SchemaPartition schemaPartition = new SchemaPartition(schemaManager);
        schemaPartition.setWrappedPartition(schemaLdif);
        service.setSchemaPartition(schemaPartition);

        service.setSystemPartition(jdbm(new ReplayedJdbmPartition(schemaManager, dnFactory), schemaManager, layout, "system", "ou=system"));
        JdbmPartition data = jdbm(new DataPartition(schemaManager, dnFactory), schemaManager, layout, DATA_PARTITION_ID, config.suffix());
        data.setCacheSize(config.entryCacheSize());
        for (String attribute : List.of("objectClass", "entryUUID", "uid", "cn", "mail", "member", "ou")) {
            data.addIndex(new JdbmIndex<>(attribute, false));
        }
        service.addPartition(data);

        service.setInterceptors(interceptors(service.getInterceptors(), aci));
        return service;
    }

    private List<Interceptor> interceptors(List<Interceptor> defaults, boolean aci) {
        List<Interceptor> chain = new ArrayList<>();
        int replaced = 0;
        for (Interceptor interceptor : defaults) {
            if (!aci && ACI.equals(interceptor.getName())) {
                chain.add(new AccessRules(config.access()));
                replaced++;
                continue;
            }
            if (!aci && DEFAULT_AUTHORIZATION.equals(interceptor.getName())) {
                replaced++;
                continue;
            }
            if (EXPIRY_BEFORE.equals(interceptor.getName())) {
                chain.add(new ExpiryInterceptor(clock, config.peopleDn(), config.groupsDn()));
            }
            chain.add(interceptor);
            if (HASH_AFTER.equals(interceptor.getName())) {
                // Clear-text passwords from any client (Keycloak sends them clear) are stored salted-hashed.
                chain.add(new Ssha512PasswordHashingInterceptor());
                chain.add(new StorableValues());
            }
            if (RELAY_AFTER.equals(interceptor.getName())) {
                chain.addAll(extraInterceptors);
            }
        }
        if (chain.size() != defaults.size() + 3 + extraInterceptors.size() - (aci ? 0 : 1) || !aci && replaced != 2) {
            throw new IllegalStateException("ApacheDS interceptor chain lacks " + HASH_AFTER + ", " + RELAY_AFTER + ", " + ACI + " or "
                    + DEFAULT_AUTHORIZATION);
        }
        return chain;
    }

    private static SchemaManager schemaManager(File partitionsDir) throws Exception {
        File schemaDir = new File(partitionsDir, "schema");
        if (!schemaDir.exists()) {
            new DefaultSchemaLdifExtractor(partitionsDir).extractOrCopy();
        }
        SchemaManager schemaManager = new DefaultSchemaManager(new LdifSchemaLoader(schemaDir));
        schemaManager.loadAllEnabled();
        if (!schemaManager.getErrors().isEmpty()) {
            throw new IllegalStateException("schema failed to load: " + schemaManager.getErrors());
        }
        for (LdapComparator<?> comparator : schemaManager.getComparatorRegistry()) {
            if (comparator instanceof NormalizingComparator normalizing) {
                normalizing.setOnServer();
            }
        }
        return schemaManager;
    }

    private static JdbmPartition jdbm(JdbmPartition partition, SchemaManager schemaManager, InstanceLayout layout,
            String id, String suffix) throws LdapException {
        partition.setId(id);
        partition.setPartitionPath(new File(layout.getPartitionsDirectory(), id).toURI());
        partition.setSuffixDn(new Dn(schemaManager, suffix));
        partition.setSyncOnWrite(true);
        return partition;
    }
}
