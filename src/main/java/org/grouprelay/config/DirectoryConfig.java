package org.grouprelay.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The {@code directory} section: the embedded LDAP server.
 *
 * @param suffix        naming context of the data partition, e.g. {@code dc=example,dc=org}
 * @param dataDir       partitions and local state; survives restarts
 * @param bootstrapLdif loaded once, when {@code dataDir} holds no data yet
 * @param ldaps         optional LDAPS listener
 * @param tls           optional key store; without one, a self-signed certificate is generated
 *                      when LDAPS or {@code requireTls} needs TLS
 * @param requireTls    refuse operations on plain LDAP until the client has run StartTLS
 * @param access        who may read and write what
 * @param entryCacheSize entries of the data partition ApacheDS keeps deserialised in memory
 */
public record DirectoryConfig(
        String suffix,
        Path dataDir,
        Path bootstrapLdif,
        Secret adminPassword,
        Endpoint ldap,
        Optional<Endpoint> ldaps,
        Optional<TlsConfig> tls,
        boolean requireTls,
        String peopleDn,
        String groupsDn,
        AccessConfig access,
        int entryCacheSize) {

    /**
     * The default entry cache: 1,000 entries. ApacheDS's own default of 10,000 held about 450 MB after a read of 10,000
     * groups of 100 members, nearly all of the launcher's 512 MB heap.
     */
    public static final int DEFAULT_ENTRY_CACHE = 1_000;

    /** Whether the server has TLS material (configured or generated), and so offers StartTLS. */
    public boolean tlsEnabled() {
        return tls.isPresent() || ldaps.isPresent() || requireTls;
    }
}
