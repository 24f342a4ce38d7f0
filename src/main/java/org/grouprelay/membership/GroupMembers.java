package org.grouprelay.membership;

import java.util.Map;
import org.grouprelay.change.GroupRef;

/** A managed group and its direct {@code member} values (normalized DN → DN as written). */
public record GroupMembers(GroupRef ref, Map<String, String> members) {
}
