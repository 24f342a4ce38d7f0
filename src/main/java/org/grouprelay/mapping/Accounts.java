package org.grouprelay.mapping;

import java.util.List;
import java.util.Map;
import org.grouprelay.change.UserRef;

/** How a target turns directory users into its own user ids. */
public interface Accounts {
    /** The target's id of every user who has an account there; users without one are absent. One batch, not one query per user. */
    Map<UserRef, String> find(List<UserRef> users) throws Exception;

    /**
     * Like {@link #find}, but a target that creates accounts (SCIM) creates the missing ones first. A target
     * whose accounts appear on their own (Seafile, at the first login) only finds.
     */
    default Map<UserRef, String> provision(List<UserRef> users) throws Exception {
        return find(users);
    }

    /** A number that grows whenever accounts appear, cheap to read: pending members are looked up again when it moved. */
    long watermark() throws Exception;

    /** How users are matched, for audit lines and reports (e.g. {@code [email by mail]}). */
    String describe();

    /**
     * The user's id in the target computed from the directory alone, where the target's ids are directory values (MAS: the
     * localpart). Lets the check tell accounts of directory users from the target's own (bots, admins), which it never
     * touches. Default: not known without a lookup.
     */
    default java.util.Optional<String> idOf(UserRef user) {
        return java.util.Optional.empty();
    }

    /** The directory attributes matching needs from every user entry (lower-case names). */
    List<String> attributes();
}
