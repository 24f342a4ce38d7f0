package org.grouprelay.directory;

import java.nio.file.Files;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.directory.api.ldap.model.ldif.LdifEntry;
import org.apache.directory.api.ldap.model.schema.SchemaManager;
import org.apache.directory.server.core.DefaultDirectoryService;
import org.apache.directory.server.core.api.DirectoryService;
import org.apache.directory.server.core.api.interceptor.Interceptor;
import org.apache.directory.server.ldap.LdapServer;
import org.apache.directory.server.ldap.handlers.extended.PwdModifyHandler;
import org.apache.directory.server.ldap.handlers.extended.StartTlsHandler;
import org.apache.directory.server.protocol.shared.transport.TcpTransport;
import org.apache.directory.server.protocol.shared.transport.Transport;
import org.grouprelay.config.AccessConfig;
import org.grouprelay.config.DirectoryConfig;
import org.grouprelay.config.Endpoint;
import org.grouprelay.config.Environment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded Apache Directory Server: its lifecycle from an empty {@code dataDir} to a listening
 * LDAP (and optionally LDAPS / StartTLS) server, and back down.
 */
public final class EmbeddedDirectory implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedDirectory.class);

    private final DefaultDirectoryService service;
    private final LdapServer ldapServer;
    private final Optional<TlsMaterial> tls;

    private EmbeddedDirectory(DefaultDirectoryService service, LdapServer ldapServer, Optional<TlsMaterial> tls) {
        this.service = service;
        this.ldapServer = ldapServer;
        this.tls = tls;
    }

    /** Starts the directory without interceptors of grouprelay's own: a plain directory. */
    public static EmbeddedDirectory start(DirectoryConfig config, Environment env, Clock clock) throws Exception {
        return start(config, env, List.of(), Optional.empty(), clock);
    }

    /**
     * Starts the directory. {@code interceptors} are placed in ApacheDS's chain right after the
     * operational attributes are set; {@code replies}, when present, may hold write replies on every
     * transport. On failure everything already started is stopped again.
     */
    public static EmbeddedDirectory start(DirectoryConfig config, Environment env, List<Interceptor> interceptors,
            Optional<HeldReplies> replies, Clock clock) throws Exception {
        Files.createDirectories(config.dataDir());
        DefaultDirectoryService service = new DirectoryServiceBuilder(config, interceptors, clock).build();
        SchemaManager schemaManager = service.getSchemaManager();
        Bootstrap bootstrap = new Bootstrap(config, env);
        List<LdifEntry> entries = bootstrap.parse(schemaManager);
        LdapServer ldapServer = null;
        try {
            service.startup();
            GrouprelaySchema.install(service);
            if (config.access().engine() == AccessConfig.Engine.APACHEDS) {
                MemberIndexedGroupCache.install(service);
            } else {
                AccessRules.checkAttributes(config.access(), schemaManager);
            }
            bootstrap.loadIfFirstStart(service, entries);
            bootstrap.applyAdminPassword(service);
            Optional<TlsMaterial> tls = tlsMaterial(config, clock);
            NoAttributePages noAttributePages = new NoAttributePages();
            ldapServer = ldapServer(config, service, tls, noAttributePages);
            ldapServer.start();
            for (Transport transport : ldapServer.getTransports()) {
                transport.getAcceptor().getFilterChain().addLast(NoAttributePages.FILTER_NAME, noAttributePages);
                replies.ifPresent(r -> transport.getAcceptor().getFilterChain().addLast(HeldReplies.FILTER_NAME, r));
            }
            log.info("LDAP directory {} listening on ldap://{}{}{}", config.suffix(), config.ldap(),
                    config.ldaps().map(e -> " and ldaps://" + e).orElse(""),
                    tls.isPresent() ? " (StartTLS offered)" : "");
            return new EmbeddedDirectory(service, ldapServer, tls);
        } catch (Exception | Error e) {
            stopQuietly(ldapServer, service);
            throw e;
        }
    }

    /**
     * Opens an existing {@code dataDir} for a command-line tool while {@code serve} is stopped: plain
     * LDAP on a free loopback port, no relay. Refuses a directory that was never started (it would
     * load the bootstrap LDIF) and one a running {@code serve} holds (ApacheDS locks its files).
     */
    public static EmbeddedDirectory startLocal(DirectoryConfig config, Environment env, Clock clock) throws Exception {
        if (!Files.exists(config.dataDir().resolve(Bootstrap.MARKER))) {
            throw new org.grouprelay.config.ConfigException("directory.dataDir " + config.dataDir()
                    + " holds no directory yet (serve has never started there)");
        }
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        DirectoryConfig local = new DirectoryConfig(config.suffix(), config.dataDir(), config.bootstrapLdif(), config.adminPassword(),
                new Endpoint("127.0.0.1", port), Optional.empty(), Optional.empty(), false, config.peopleDn(), config.groupsDn(),
                config.access(), config.entryCacheSize());
        return start(local, env, List.of(), Optional.empty(), clock);
    }

    /** The plain LDAP endpoint this directory listens on. */
    public Endpoint ldap() {
        Transport transport = ldapServer.getTransports()[0];
        return new Endpoint(transport.getAddress(), transport.getPort());
    }

    private static Optional<TlsMaterial> tlsMaterial(DirectoryConfig config, Clock clock) throws Exception {
        if (config.tls().isPresent()) {
            return Optional.of(TlsMaterial.configured(config.tls().get()));
        }
        if (!config.tlsEnabled()) {
            return Optional.empty();
        }
        List<String> hosts = new ArrayList<>(List.of(config.ldap().host()));
        config.ldaps().ifPresent(e -> hosts.add(e.host()));
        return Optional.of(TlsMaterial.generated(config.dataDir().resolve("tls"), hosts, clock));
    }

    private static LdapServer ldapServer(DirectoryConfig config, DirectoryService service, Optional<TlsMaterial> tls,
            NoAttributePages noAttributePages)
            throws Exception {
        LdapServer server = new LdapServer();
        server.setServiceName("grouprelay");
        server.setDirectoryService(service);
        List<Transport> transports = new ArrayList<>();
        transports.add(transport(config.ldap(), false));
        config.ldaps().ifPresent(e -> transports.add(transport(e, true)));
        server.setTransports(transports.toArray(Transport[]::new));
        ClearResults.install(server);
        LockedSearches.install(server, service.getOperationManager(), noAttributePages);
        server.addExtendedOperationHandler(new PwdModifyHandler());
        server.addExtendedOperationHandler(new WhoAmI());

        if (tls.isPresent()) {
            server.setKeystoreFile(tls.get().keystore().toAbsolutePath().toString());
            server.setCertificatePassword(tls.get().password());
            server.addExtendedOperationHandler(new StartTlsHandler());
        }
        server.setConfidentialityRequired(config.requireTls());
        // ApacheDS caps non-admin searches at 100 entries, paged or not; Keycloak pages through all users.
        server.setMaxSizeLimit(LdapServer.NO_SIZE_LIMIT);
        return server;
    }

    /** TLS 1.2 and 1.3 only, for LDAPS and StartTLS alike (ApacheDS would offer TLS 1.0 and 1.1 to StartTLS clients). */
    static final List<String> TLS_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    private static Transport transport(Endpoint endpoint, boolean ssl) {
        TcpTransport transport = new TcpTransport(endpoint.host(), endpoint.port());
        transport.setEnableSSL(ssl);
        transport.setEnabledProtocols(TLS_PROTOCOLS);
        return transport;
    }

    public DirectoryService service() {
        return service;
    }

    /** The generated or configured TLS material, when TLS is on. */
    public Optional<TlsMaterial> tls() {
        return tls;
    }

    @Override
    public void close() {
        stopQuietly(ldapServer, service);
        log.info("LDAP directory stopped");
    }

    private static void stopQuietly(LdapServer ldapServer, DirectoryService service) {
        if (ldapServer != null && ldapServer.isStarted()) {
            ldapServer.stop();
        }
        try {
            if (service.isStarted()) {
                service.shutdown();
            }
        } catch (Exception e) {
            log.warn("directory shutdown: {}", e.toString());
        }
    }
}
