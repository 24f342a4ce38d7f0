package org.grouprelay.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import org.grouprelay.reconcile.CheckRun;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps every report under {@code dataDir/reports/} as {@code check-<checkedAt>.txt|json|html}, written
 * before any mail is tried, so a mail failure never loses a report. Files appear whole (written to a
 * temporary name, then renamed); a second run in the same second gets {@code check-<checkedAt>-2.*}
 * instead of overwriting the first.
 */
public final class ReportArchive {
    private static final Logger log = LoggerFactory.getLogger(ReportArchive.class);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final Path dir;

    public ReportArchive(Path dataDir) {
        this.dir = dataDir.resolve("reports");
    }

    public Path directory() {
        return dir;
    }

    /** Writes the run in every format and returns the files, in {@link Format} order. */
    public Map<Format, Path> write(CheckRun run) throws IOException {
        Files.createDirectories(dir);
        String base = "check-" + STAMP.format(run.plan().checkedAt());
        Map<Format, String> rendered = new EnumMap<>(Format.class);
        for (Format format : Format.values()) {
            rendered.put(format, format.render(run));
        }
        String name = base;
        for (int n = 2; taken(name); n++) {
            name = base + "-" + n;
        }
        Map<Format, Path> files = new EnumMap<>(Format.class);
        for (Map.Entry<Format, String> e : rendered.entrySet()) {
            Path target = dir.resolve(name + "." + e.getKey().fileExtension());
            Path tmp = Files.createTempFile(dir, ".check-", ".tmp");
            try {
                Files.writeString(tmp, e.getValue(), StandardCharsets.UTF_8);
                move(tmp, target);
            } finally {
                Files.deleteIfExists(tmp);
            }
            files.put(e.getKey(), target);
        }
        log.info("check report written to {}", dir.resolve(name + ".{txt,json,html}"));
        return Collections.unmodifiableMap(files);
    }

    private boolean taken(String name) {
        return Arrays.stream(Format.values()).anyMatch(f -> Files.exists(dir.resolve(name + "." + f.fileExtension())));
    }

    private static void move(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target);
        }
    }
}
