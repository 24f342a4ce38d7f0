package org.grouprelay.reconcile;

import java.util.List;
import java.util.Set;

/**
 * Findings about the directory itself (not about a target), added to a check's plan; a repair fixes them in the
 * directory, whose relay then carries the change to every target. Memberships whose end passed are one such.
 */
public interface DirectoryFindings {
    /** What is wrong in the groups {@code groups} names (all when empty). */
    List<Finding> find(DirectorySource source, Set<String> groups) throws Exception;

    /** Fixes {@code findings} (those of this kind) in the directory; returns what failed, one line each. */
    List<String> repair(List<Finding> findings) throws Exception;
}
