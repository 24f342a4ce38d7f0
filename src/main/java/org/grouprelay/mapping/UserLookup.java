package org.grouprelay.mapping;

import java.util.Map;
import java.util.Set;

/** What a target offers user mapping: batch lookups, never one query per user. */
public interface UserLookup {
    /**
     * Seafile ids for {@code keys} under {@code rule}: key (as given) → id. Keys without a hit are absent.
     * Under {@link Strategy#EMAIL} the key is the id, and only ids of existing accounts are answered.
     */
    Map<String, String> find(MappingRule rule, Set<String> keys) throws Exception;

    /**
     * A number that grows whenever an account or login link is added (e.g. the sum of the tables'
     * highest ids): a cheap, index-only way to notice new accounts without scanning them.
     */
    long accountsWatermark() throws Exception;

    /** Which of {@code ids} are existing Seafile accounts. */
    Set<String> existing(Set<String> ids) throws Exception;
}
