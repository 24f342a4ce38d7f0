package org.grouprelay.directory;

import org.apache.directory.server.core.api.OperationManager;

/**
 * A read of the directory that holds its read lock from the first entry to the last. ApacheDS takes the lock only
 * while it builds a search's cursor; reading the JDBM partition through that cursor while a write commits corrupts
 * JDBM's block cache ("double get for block"). LDAP searches ({@link LockedSearches}), the relay's re-reads of a group
 * and the in-process check and expiry scans all read through here; capture reads under the write lock instead.
 */
public final class ReadLocked {
    private ReadLocked() {
    }

    /** A read that may fail with {@code E}. */
    @FunctionalInterface
    public interface Read<T, E extends Exception> {
        T run() throws E;
    }

    /** {@code read}'s result, read while holding {@code operations}'s read lock. */
    public static <T, E extends Exception> T read(OperationManager operations, Read<T, E> read) throws E {
        operations.lockRead();
        try {
            return read.run();
        } finally {
            operations.unlockRead();
        }
    }
}
