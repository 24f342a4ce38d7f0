package org.grouprelay.targets.seafile.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.grouprelay.targets.TargetException;

/**
 * Where the API target keeps its links (directory entryUUID → Seafile group id): Seafile's API has
 * no place for them. A small JSON file in the data directory, replaced atomically (write a temporary
 * file, fsync, rename) under a file lock, so {@code serve} and {@code check --repair} can both write
 * it; it is read again whenever another process changed it. If it is lost, groups are found again by
 * name with {@code seafile.adopt: true} (Seafile refuses a second group of the same name, so nothing
 * is duplicated meanwhile).
 */
final class LinkFile {
    /**
     * One link. {@code seafileName} is the name grouprelay last gave the Seafile group and
     * {@code directoryName} the directory name it came from (they differ when the name was sanitised).
     */
    record Link(String uuid, long groupId, String seafileName, String directoryName) {
        /** The group id of a link whose group is being created (the answer with its id has not come yet). */
        static final long CREATING = -1;

        /** Whether the Seafile group id is known. */
        boolean settled() {
            return groupId > 0;
        }
    }

    /** The file's layout. */
    record Content(int version, List<Link> links) {
    }

    private final Path file;
    private final Path lock;
    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private Map<String, Link> links = new LinkedHashMap<>();
    private Object readStamp;

    LinkFile(Path file) {
        this.file = file;
        this.lock = file.resolveSibling(file.getFileName() + ".lock");
    }

    synchronized Optional<Link> get(String uuid) throws TargetException {
        refresh();
        return Optional.ofNullable(links.get(uuid));
    }

    synchronized Map<String, Link> all() throws TargetException {
        refresh();
        return Map.copyOf(links);
    }

    /** Adds or replaces the link of {@code link.uuid()}; no other directory group keeps that Seafile group. */
    synchronized void put(Link link) throws TargetException {
        update(map -> {
            map.values().removeIf(l -> link.settled() && l.groupId() == link.groupId() && !l.uuid().equals(link.uuid()));
            map.put(link.uuid(), link);
        });
    }

    synchronized void remove(String uuid) throws TargetException {
        update(map -> map.remove(uuid));
    }

    private interface Change {
        void apply(Map<String, Link> links);
    }

    private void update(Change change) throws TargetException {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            try (FileChannel channel = FileChannel.open(lock, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock held = channel.lock()) {
                readStamp = null; // under the lock: always the latest
                refresh();
                Map<String, Link> next = new LinkedHashMap<>(links);
                change.apply(next);
                write(next);
                links = next;
                readStamp = stamp();
            }
        } catch (IOException e) {
            throw new TargetException("write the link file " + file + ": " + e.getMessage(), true, e);
        }
    }

    private void write(Map<String, Link> next) throws IOException {
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        byte[] bytes = json.writeValueAsBytes(new Content(1, new ArrayList<>(next.values())));
        try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
            out.force(true);
        }
        try {
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
        }
        try (FileChannel dir = FileChannel.open(file.toAbsolutePath().getParent(), StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            // some file systems cannot fsync a directory; the rename itself is atomic
        }
    }

    /** Reads the file again when it changed since the last read (another process wrote it). */
    private void refresh() throws TargetException {
        try {
            Object now = stamp();
            if (now.equals(readStamp)) {
                return;
            }
            Map<String, Link> read = new LinkedHashMap<>();
            if (Files.exists(file)) {
                for (Link link : json.readValue(file.toFile(), Content.class).links()) {
                    read.put(link.uuid(), link);
                }
            }
            links = read;
            readStamp = now;
        } catch (IOException e) {
            throw new TargetException("read the link file " + file + ": " + e.getMessage()
                    + " (restore it from a backup, or remove it and set seafile.adopt: true to link groups by name)", false, e);
        }
    }

    private Object stamp() throws IOException {
        if (!Files.exists(file)) {
            return "absent";
        }
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        return List.of(attributes.lastModifiedTime().toMillis(), attributes.size(), String.valueOf(attributes.fileKey()));
    }
}
