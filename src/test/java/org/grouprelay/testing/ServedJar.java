package org.grouprelay.testing;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.grouprelay.reconcile.LocalState;
import org.grouprelay.relay.OutboxLine;

/**
 * {@code grouprelay serve} from the jar, in a test's own work directory with its data in {@code data/}, as a
 * service manager runs it: the config and environment it gets, the process once it is ready, an admin's LDAP
 * connection to it, and what it left on disk. {@link #close()} kills a process that still runs.
 */
public final class ServedJar implements AutoCloseable {
    private final Path work;
    private final String adminPassword;
    private final int ldapPort;
    private final String ready;
    private final Duration readyWithin;
    private Map<String, String> env = Map.of();
    private JarProcess process;

    /** {@code serve} counts as started once its output contains {@code ready}, which must come within {@code readyWithin}. */
    public ServedJar(Path work, String adminPassword, String ready, Duration readyWithin) throws IOException {
        this.work = work;
        this.adminPassword = adminPassword;
        this.ldapPort = TestDirectory.freePort();
        this.ready = ready;
        this.readyWithin = readyWithin;
    }

    public Path work() {
        return work;
    }

    /** The free port chosen for its LDAP listener. */
    public int ldapPort() {
        return ldapPort;
    }

    /** Writes {@code grouprelay.yaml} and the environment it refers to; the next {@link #serve()} reads them. */
    public void configure(ConfigYaml yaml, String keycloakPassword) throws IOException {
        yaml.writeTo(work.resolve("grouprelay.yaml"));
        env = yaml.environment(adminPassword, keycloakPassword);
    }

    /** Starts {@code serve --config grouprelay.yaml} and waits until it is ready. */
    public JarProcess serve() throws Exception {
        process = JarProcess.serve(work, env, ready, readyWithin);
        return process;
    }

    /** As {@link #serve()}, started as {@code nohup} starts it: SIGHUP ignored from the start. */
    public JarProcess serveIgnoringHangup() throws Exception {
        process = JarProcess.serveIgnoringHangup(work, env, ready, readyWithin);
        return process;
    }

    public LDAPConnection admin() throws LDAPException {
        return new LDAPConnection("127.0.0.1", ldapPort, TestDirectory.ADMIN_DN, adminPassword);
    }

    /** What waits in the outbox, as {@code grouprelay status} reads it. */
    public OutboxLine.Backlog backlog() throws IOException {
        return new LocalState(work.resolve("data"), work.resolve("data/audit.jsonl"), Clock.systemUTC()).backlog();
    }

    public String outbox() throws IOException {
        return Files.readString(work.resolve("data/outbox.jsonl"));
    }

    public Path auditLog() {
        return work.resolve("data/audit.jsonl");
    }

    @Override
    public void close() throws IOException {
        if (process != null) {
            process.close();
        }
    }
}
