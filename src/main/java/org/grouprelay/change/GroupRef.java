package org.grouprelay.change;

/**
 * A managed directory group. {@code uuid} (the entry's entryUUID) is the stable identity that links
 * it to its Seafile group across renames and moves; {@code name} is what Seafile shows.
 */
public record GroupRef(String uuid, String dn, String name) {
    @Override
    public String toString() {
        return name + " (" + dn + ")";
    }
}
