package org.grouprelay.change;

import java.util.Map;
import java.util.Optional;

/**
 * A directory user as it was when the change happened: its DN and the attributes user mapping may
 * need (a snapshot, so a deleted user can still be mapped to its Seafile account).
 *
 * @param attributes lower-cased attribute name → first value (e.g. mail, uid, entryuuid)
 */
public record UserRef(String dn, Map<String, String> attributes) {
    public UserRef {
        attributes = Map.copyOf(attributes);
    }

    public Optional<String> attribute(String name) {
        return Optional.ofNullable(attributes.get(name.toLowerCase(java.util.Locale.ROOT)));
    }

    @Override
    public String toString() {
        return dn;
    }
}
