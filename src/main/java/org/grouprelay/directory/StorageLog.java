package org.grouprelay.directory;

import java.io.File;
import java.io.IOException;
import jdbm.recman.BaseRecordManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replays a JDBM partition's transaction log ({@code ID.lg}) into its data file ({@code ID.db}) before ApacheDS opens
 * the partition.
 *
 * <p>Every write commits to the log first and then copies the log into the data file; a process killed between the
 * two leaves committed transactions in the log, which JDBM replays when the partition is opened next. But JDBM's
 * {@code BaseRecordManager} reads the data file's header (the first and last page of each page list) before it
 * replays the log, and ApacheDS goes on with that header. When a replayed transaction added pages, the directory then
 * appends records to a page that is no longer the last one: the next write fails with {@code ERR_562 Offset too large
 * for record header}, every write after it with {@code ERR_554 double get for block}, and a commit could write the old
 * header back over the replayed one. Replayed here, on a record manager of its own that re-reads the header before it
 * closes, the log is empty when ApacheDS opens the partition.
 */
final class StorageLog {
    private static final Logger log = LoggerFactory.getLogger(StorageLog.class);
    /** Bytes of a log that holds no transaction: JDBM's magic number in a serialisation stream of its own. */
    private static final long EMPTY_LOG = 8;

    private StorageLog() {
    }

    /** Replays the log of the JDBM files {@code partitionDir/id.db} and {@code .lg}, if there is one. */
    static void replay(File partitionDir, String id) throws IOException {
        File data = new File(partitionDir, id + ".db");
        File logFile = new File(partitionDir, id + ".lg");
        if (!data.isFile() || !logFile.isFile()) {
            return;
        }
        long logged = logFile.length();
        try {
            BaseRecordManager recman = new BaseRecordManager(new File(partitionDir, id).getPath());
            try {
                recman.getTransactionManager(); // replays the log into the data file and starts an empty one
                // re-reads the header the replay may have changed: closing writes back a header only if it changed since
                recman.rollback();
            } finally {
                recman.close();
            }
        } catch (Error e) { // JDBM reports a damaged file as an Error
            throw new IOException("directory partition " + id + ": " + data + " or its transaction log cannot be read (" + e.getMessage()
                    + "); restore " + partitionDir + " from a backup", e);
        }
        if (logged > EMPTY_LOG) {
            log.info("directory partition {}: replayed {} bytes of transactions an unclean stop left in {}", id, logged, logFile);
        }
    }
}
