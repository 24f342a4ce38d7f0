package org.grouprelay.relay;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An append-only JSON-lines file that survives {@code kill -9}: {@link #append} with
 * {@code sync=true} returns only after the bytes are on disk. Reading skips a damaged line (a torn
 * write at the tail after a crash, say) with one clear log line and keeps every intact record.
 */
final class Journal<T> implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Journal.class);

    private final Path file;
    private final Class<T> type;
    private final ObjectMapper json;
    private volatile FileChannel channel;

    Journal(Path file, Class<T> type, ObjectMapper json) throws IOException {
        this.file = file;
        this.type = type;
        this.json = json;
        Files.createDirectories(file.toAbsolutePath().getParent());
        this.channel = open();
    }

    private FileChannel open() throws IOException {
        return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }

    /** Every intact record, in order. */
    List<T> readAll() throws IOException {
        return read(file, type, json, true);
    }

    /** Every intact record of {@code file}, for a reader beside the process that writes it (damage is not logged). */
    static <T> List<T> readOnly(Path file, Class<T> type, ObjectMapper json) throws IOException {
        return read(file, type, json, false);
    }

    private static <T> List<T> read(Path file, Class<T> type, ObjectMapper json, boolean logDamage) throws IOException {
        List<T> records = new ArrayList<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            try {
                records.add(json.readValue(line, type));
            } catch (IOException e) {
                if (!logDamage) {
                    continue; // a torn line after a crash: the relay reports it when it reads the file
                }
                log.error("{} line {} is damaged and was skipped ({} characters: {}); the other {} records are intact",
                        file, i + 1, line.length(), e.getMessage().lines().findFirst().orElse(""), lines.size() - 1);
            }
        }
        return records;
    }

    synchronized void append(List<T> records, boolean sync) throws IOException {
        StringBuilder text = new StringBuilder();
        for (T record : records) {
            text.append(json.writeValueAsString(record)).append('\n');
        }
        ByteBuffer bytes = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
        if (sync) {
            channel.force(false);
        }
    }

    /**
     * Makes everything appended so far durable, without holding this journal's lock meanwhile: other
     * threads go on appending while the disk syncs (a later sync covers their lines too).
     */
    void force() throws IOException {
        FileChannel current = channel;
        try {
            current.force(false);
        } catch (java.nio.channels.ClosedChannelException e) {
            // rewritten meanwhile: the rewrite synced everything that was open, this record included
        }
    }

    /** Replaces the content with {@code records}, atomically (write, fsync, rename). */
    synchronized void rewrite(List<T> records) throws IOException {
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel out = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            StringBuilder text = new StringBuilder();
            for (T record : records) {
                text.append(json.writeValueAsString(record)).append('\n');
            }
            out.write(ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8)));
            out.force(true);
        }
        channel.close();
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        channel = open();
    }

    Path file() {
        return file;
    }

    @Override
    public synchronized void close() throws IOException {
        channel.close();
    }
}
