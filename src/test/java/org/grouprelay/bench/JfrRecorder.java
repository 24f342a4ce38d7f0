package org.grouprelay.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;

/** With {@code bench.jfr} set, records measured points with JFR and remembers how many modifies each file covers. */
final class JfrRecorder {
    static final int PERIOD_MS = 5;

    private final String directory;
    private final Map<Path, Long> runs = new LinkedHashMap<>();

    /** {@code directory} empty: nothing is recorded. */
    JfrRecorder(String directory) {
        this.directory = directory;
    }

    /** The recordings made, with the number of modifies each covered. */
    Map<Path, Long> runs() {
        return runs;
    }

    Recording start(String name) throws Exception {
        if (directory.isEmpty()) {
            return null;
        }
        Path dir = Path.of(directory);
        Files.createDirectories(dir);
        Recording recording = new Recording(Configuration.getConfiguration("profile"));
        recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(PERIOD_MS));
        recording.enable("jdk.NativeMethodSample").withPeriod(Duration.ofMillis(PERIOD_MS * 4L));
        // not jdk.FileWrite: JDBM makes hundreds of tiny writes per commit, and recording each distorts the run
        for (String io : List.of("jdk.FileForce", "jdk.SocketRead", "jdk.SocketWrite")) {
            recording.enable(io).withThreshold(Duration.ZERO).withStackTrace();
        }
        Path file = dir.resolve(name + ".jfr");
        recording.setDestination(file);
        recording.setName(name);
        recording.start();
        return recording;
    }

    /** Stops {@code recording} (the file is written) and remembers how many modifies it covered. */
    void stop(Recording recording, long ops) {
        if (recording != null) {
            Path file = recording.getDestination();
            recording.stop();
            recording.close();
            runs.put(file, ops);
        }
    }
}
