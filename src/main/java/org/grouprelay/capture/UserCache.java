package org.grouprelay.capture;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.directory.api.ldap.model.exception.LdapException;
import org.apache.directory.api.ldap.model.name.Dn;
import org.grouprelay.change.UserRef;

/**
 * The users the capture looked up, shared by its operations: resolving a new member reads the user's entry, which
 * costs ApacheDS about 0.2 ms when the entry is not in its own cache. Kept exact by forgetting everything whenever an
 * entry below {@code peopleDn} is written (every write passes the capture). Used under the directory's write lock
 * (the capture runs inside write operations); synchronized all the same.
 */
final class UserCache {
    /** Users kept, least recently used first out: a few MB. */
    static final int CAPACITY = 10_000;

    private final Dn peopleDn;
    private final Map<String, Optional<UserRef>> users = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Optional<UserRef>> eldest) {
            return size() > CAPACITY;
        }
    };

    UserCache(Dn peopleDn) {
        this.peopleDn = peopleDn;
    }

    /** A directory write. */
    @FunctionalInterface
    interface Write {
        void run() throws LdapException;
    }

    /**
     * Runs a write at {@code dn} (or a move to {@code newDn}, else null); one that may change a user, or users below it,
     * makes the cache forget everything before and after it (what the operation itself looked up may be what it
     * changes). Writes to people are rare next to member changes; forgetting all cannot miss a spelling of a DN.
     */
    void around(Dn dn, Dn newDn, Write write) throws LdapException {
        boolean people = touchesPeople(dn) || newDn != null && touchesPeople(newDn);
        if (people) {
            clear();
        }
        try {
            write.run();
        } finally {
            if (people) {
                clear();
            }
        }
    }

    private boolean touchesPeople(Dn dn) {
        return dn.equals(peopleDn) || dn.isDescendantOf(peopleDn) || peopleDn.isDescendantOf(dn);
    }

    /** The user at {@code norm} as last looked up ({@link Optional#empty()}: no such user), or {@code null} if not known. */
    synchronized Optional<UserRef> get(String norm) {
        return users.get(norm);
    }

    synchronized void put(String norm, Optional<UserRef> user) {
        users.put(norm, user);
    }

    synchronized void clear() {
        users.clear();
    }

}
