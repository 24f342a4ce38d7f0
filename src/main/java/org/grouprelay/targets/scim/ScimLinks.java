package org.grouprelay.targets.scim;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.grouprelay.targets.TargetException;

/**
 * The SCIM target's links (directory entryUUID → SCIM group id), kept in {@code scim-links.json} in the target's state
 * directory. The group's {@code externalId} holds the entryUUID too, so a lost file is rebuilt by searching for it.
 * Replaced atomically (temporary file, fsync, rename); read again when another process ({@code check --repair}) changed it.
 */
final class ScimLinks {
    static final String FILE = "scim-links.json";

    /** One link and the name the SCIM group was given. */
    record Link(String uuid, String id, String displayName) {
    }

    record Content(int version, List<Link> links) {
    }

    private final Path file;
    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private Map<String, Link> links = new LinkedHashMap<>();
    private FileTime readAt;

    ScimLinks(Path file) {
        this.file = file;
    }

    synchronized Optional<Link> get(String uuid) throws TargetException {
        refresh();
        return Optional.ofNullable(links.get(uuid));
    }

    synchronized Map<String, Link> all() throws TargetException {
        refresh();
        return Map.copyOf(links);
    }

    synchronized void put(Link link) throws TargetException {
        refresh();
        if (!link.equals(links.get(link.uuid()))) {
            links.put(link.uuid(), link);
            write();
        }
    }

    synchronized void remove(String uuid) throws TargetException {
        refresh();
        if (links.remove(uuid) != null) {
            write();
        }
    }

    private void refresh() throws TargetException {
        try {
            if (!Files.isRegularFile(file)) {
                return;
            }
            FileTime modified = Files.getLastModifiedTime(file);
            if (modified.equals(readAt)) {
                return;
            }
            Map<String, Link> read = new LinkedHashMap<>();
            json.readValue(file.toFile(), Content.class).links().forEach(l -> read.put(l.uuid(), l));
            links = read;
            readAt = modified;
        } catch (IOException e) {
            throw new TargetException("read " + file + ": " + e.getMessage() + "; fix or remove the file (groups are found again"
                    + " by externalId)", false, e);
        }
    }

    private void write() throws TargetException {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), ".scim-links-", ".tmp");
            try {
                try (var out = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
                    out.write(java.nio.ByteBuffer.wrap(json.writeValueAsBytes(new Content(1, List.copyOf(links.values())))));
                    out.force(true);
                }
                try {
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
            readAt = Files.getLastModifiedTime(file);
        } catch (IOException e) {
            throw new TargetException("write " + file + ": " + e.getMessage(), true, e);
        }
    }
}
