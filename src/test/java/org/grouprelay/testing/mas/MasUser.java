package org.grouprelay.testing.mas;

import java.time.Instant;

/**
 * One user row as MAS keeps it (crates/data-model/src/users.rs, the {@code users} table): an ID,
 * a username, timestamps for locking and deactivation, the admin flag. {@code erased} is the fake's
 * own mark for an account whose GDPR erasure was asked: the fake forgets such an account.
 */
record MasUser(String id, String username, Instant createdAt, Instant lockedAt, Instant deactivatedAt,
        boolean admin, boolean erased) {

    boolean locked() {
        return lockedAt != null;
    }

    boolean deactivated() {
        return deactivatedAt != null;
    }

    /** Locking a locked user keeps the first timestamp (crates/storage-pg/src/user/mod.rs, lock). */
    MasUser lock(Instant now) {
        return locked() ? this : new MasUser(id, username, createdAt, now, deactivatedAt, admin, erased);
    }

    MasUser unlock() {
        return new MasUser(id, username, createdAt, null, deactivatedAt, admin, erased);
    }

    /** Deactivating does not lock (storage-pg user/mod.rs, deactivate; since "Decouple (un)locking from (re/de)activation"). */
    MasUser deactivate(Instant now) {
        return deactivated() ? this : new MasUser(id, username, createdAt, lockedAt, now, admin, erased);
    }

    /** Reactivating does not unlock (handlers admin/v1/users/reactivate.rs). */
    MasUser reactivate() {
        return new MasUser(id, username, createdAt, lockedAt, null, admin, erased);
    }

    MasUser erase() {
        return new MasUser(id, username, createdAt, lockedAt, deactivatedAt, admin, true);
    }

    FakeMas.Account view() {
        return new FakeMas.Account(id, username, locked(), deactivated(), erased);
    }
}
