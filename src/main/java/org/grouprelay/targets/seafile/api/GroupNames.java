package org.grouprelay.targets.seafile.api;

import java.util.regex.Pattern;
import org.grouprelay.change.GroupRef;

/**
 * Seafile's admin API accepts a group name only if it is at most 255 characters of letters,
 * digits, underscore, white space, hyphen, dot, single quote and round brackets (seahub's
 * {@code validate_group_name}). A directory name outside that rule is sanitised the same way every
 * time: each run of refused characters becomes one hyphen, the result is stripped and cut at 255
 * characters; a name with nothing left becomes {@code group-<first 8 characters of its entryUUID>}.
 */
final class GroupNames {
    static final int LIMIT = 255;
    private static final String ALLOWED = "()（）\\p{L}\\p{N}_\\p{IsWhite_Space}'.\\-";
    private static final Pattern VALID = Pattern.compile("[" + ALLOWED + "]+");
    private static final Pattern REFUSED = Pattern.compile("[^" + ALLOWED + "]+");

    private GroupNames() {
    }

    /** Whether Seafile's API takes {@code name} as it is. */
    static boolean valid(String name) {
        return name.codePointCount(0, name.length()) <= LIMIT && VALID.matcher(name).matches();
    }

    /** The name the Seafile group of {@code group} gets. */
    static String seafileName(GroupRef group) {
        String name = REFUSED.matcher(group.name().strip()).replaceAll("-").strip();
        if (name.isEmpty() || name.chars().allMatch(c -> c == '-')) {
            return "group-" + group.uuid().substring(0, Math.min(8, group.uuid().length()));
        }
        if (name.codePointCount(0, name.length()) > LIMIT) {
            name = name.substring(0, name.offsetByCodePoints(0, LIMIT)).strip();
        }
        return name;
    }
}
