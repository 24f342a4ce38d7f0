package org.grouprelay.membership;

/** What a {@code member} value naming another managed group means for Seafile. */
public enum NestedPolicy {
    /** The subgroup's users (recursively) are members of the parent in Seafile. */
    FLATTEN {
        @Override
        public boolean followsSubgroups() {
            return true;
        }
    },
    /** Subgroup values are ignored for Seafile; only direct users count. */
    IGNORE {
        @Override
        public boolean followsSubgroups() {
            return false;
        }
    };

    public abstract boolean followsSubgroups();

    public static NestedPolicy parse(String value) {
        return valueOf(value.toUpperCase(java.util.Locale.ROOT));
    }
}
