package org.grouprelay.relay;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Appends audit entries as JSON lines; one flush per LDAP operation. */
public final class AuditLog implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger("org.grouprelay.audit");

    private final ObjectMapper json = new ObjectMapper();
    private final BufferedWriter out;
    private final Path file;

    public AuditLog(Path file) {
        this.file = file;
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the audit log " + file, e);
        }
    }

    public synchronized void write(List<AuditEntry> entries) {
        try {
            for (AuditEntry entry : entries) {
                out.write(json.writeValueAsString(entry));
                out.write('\n');
                log.debug("{} {} {} {} -> {}", entry.change(), entry.group(), entry.user() == null ? "" : entry.user(),
                        entry.outcome(), entry.reason() == null ? "" : entry.reason());
            }
            out.flush();
        } catch (IOException e) {
            log.error("cannot write the audit log {}: {}", file, e.getMessage());
        }
    }

    public Path file() {
        return file;
    }

    @Override
    public synchronized void close() {
        try {
            out.close();
        } catch (IOException e) {
            log.warn("closing the audit log: {}", e.getMessage());
        }
    }
}
