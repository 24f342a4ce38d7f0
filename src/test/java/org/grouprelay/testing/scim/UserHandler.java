package org.grouprelay.testing.scim;

import de.captaingoldfish.scim.sdk.common.constants.enums.SortOrder;
import de.captaingoldfish.scim.sdk.common.exceptions.ResourceNotFoundException;
import de.captaingoldfish.scim.sdk.common.resources.User;
import de.captaingoldfish.scim.sdk.common.schemas.SchemaAttribute;
import de.captaingoldfish.scim.sdk.server.endpoints.Context;
import de.captaingoldfish.scim.sdk.server.endpoints.ResourceHandler;
import de.captaingoldfish.scim.sdk.server.filter.FilterNode;
import de.captaingoldfish.scim.sdk.server.response.PartialListResponse;
import java.util.List;

/**
 * /Users backed by the {@link ScimStore}. Filtering, sorting and paging are left to the library
 * (auto-filtering: this handler lists every user).
 */
final class UserHandler extends ResourceHandler<User> {
    private final ScimStore store;
    private final boolean versioned;

    UserHandler(ScimStore store, boolean versioned) {
        this.store = store;
        this.versioned = versioned;
    }

    @Override
    public User createResource(User resource, Context context) {
        return ScimResources.userResource(store.createUser(ScimResources.toRecord(resource)), versioned);
    }

    @Override
    public User getResource(String id, List<SchemaAttribute> attributes, List<SchemaAttribute> excludedAttributes,
            Context context) {
        return store.user(id).map(stored -> ScimResources.userResource(stored, versioned))
                .orElseThrow(() -> new ResourceNotFoundException("User '" + id + "' does not exist"));
    }

    @Override
    public PartialListResponse<User> listResources(long startIndex, int count, FilterNode filter,
            SchemaAttribute sortBy, SortOrder sortOrder, List<SchemaAttribute> attributes,
            List<SchemaAttribute> excludedAttributes, Context context) {
        List<User> all = store.allUsers().stream().map(stored -> ScimResources.userResource(stored, versioned)).toList();
        return PartialListResponse.<User>builder().resources(all).totalResults(all.size()).build();
    }

    @Override
    public User updateResource(User resource, Context context) {
        String id = resource.getId().orElseGet(() -> context.getUriInfos().getResourceId());
        return ScimResources.userResource(store.replaceUser(id, ScimResources.toRecord(resource)), versioned);
    }

    @Override
    public void deleteResource(String id, Context context) {
        store.deleteUser(id);
    }
}
