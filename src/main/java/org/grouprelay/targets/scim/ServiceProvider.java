package org.grouprelay.targets.scim;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What the server's {@code /ServiceProviderConfig} (RFC 7643 §5) says about the features the target uses.
 *
 * @param patch         whether PATCH is supported; without it, groups are replaced with PUT
 * @param maxOperations member values per request: the configured limit, lowered to the server's bulk limit if that is smaller
 * @param etag          whether the server versions resources (then {@code If-Match} is sent)
 */
record ServiceProvider(boolean patch, int maxOperations, boolean etag) {
    /** Reads {@code config}; a missing feature counts as supported for PATCH (most servers) and unsupported for ETags. */
    static ServiceProvider of(JsonNode config, int configuredMax) {
        boolean patch = config.path("patch").path("supported").asBoolean(true);
        int max = configuredMax;
        JsonNode bulk = config.path("bulk");
        if (bulk.path("supported").asBoolean(false) && bulk.path("maxOperations").asInt(0) > 0) {
            max = Math.min(max, bulk.path("maxOperations").asInt());
        }
        return new ServiceProvider(patch, max, config.path("etag").path("supported").asBoolean(false));
    }
}
