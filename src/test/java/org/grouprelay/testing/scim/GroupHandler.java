package org.grouprelay.testing.scim;

import de.captaingoldfish.scim.sdk.common.constants.enums.SortOrder;
import de.captaingoldfish.scim.sdk.common.exceptions.ResourceNotFoundException;
import de.captaingoldfish.scim.sdk.common.resources.Group;
import de.captaingoldfish.scim.sdk.common.schemas.SchemaAttribute;
import de.captaingoldfish.scim.sdk.server.endpoints.Context;
import de.captaingoldfish.scim.sdk.server.endpoints.ResourceHandler;
import de.captaingoldfish.scim.sdk.server.filter.FilterNode;
import de.captaingoldfish.scim.sdk.server.response.PartialListResponse;
import java.util.List;

/**
 * /Groups backed by the {@link ScimStore}. Filtering, sorting and paging are left to the library
 * (auto-filtering: this handler lists every group).
 */
final class GroupHandler extends ResourceHandler<Group> {
    private final ScimStore store;
    private final boolean versioned;

    GroupHandler(ScimStore store, boolean versioned) {
        this.store = store;
        this.versioned = versioned;
    }

    @Override
    public Group createResource(Group resource, Context context) {
        return ScimResources.groupResource(store.createGroup(ScimResources.toRecord(resource)), versioned);
    }

    @Override
    public Group getResource(String id, List<SchemaAttribute> attributes, List<SchemaAttribute> excludedAttributes,
            Context context) {
        return store.group(id).map(stored -> ScimResources.groupResource(stored, versioned))
                .orElseThrow(() -> new ResourceNotFoundException("Group '" + id + "' does not exist"));
    }

    @Override
    public PartialListResponse<Group> listResources(long startIndex, int count, FilterNode filter,
            SchemaAttribute sortBy, SortOrder sortOrder, List<SchemaAttribute> attributes,
            List<SchemaAttribute> excludedAttributes, Context context) {
        List<Group> all = store.allGroups().stream().map(stored -> ScimResources.groupResource(stored, versioned)).toList();
        return PartialListResponse.<Group>builder().resources(all).totalResults(all.size()).build();
    }

    @Override
    public Group updateResource(Group resource, Context context) {
        String id = resource.getId().orElseGet(() -> context.getUriInfos().getResourceId());
        return ScimResources.groupResource(store.replaceGroup(id, ScimResources.toRecord(resource)), versioned);
    }

    @Override
    public void deleteResource(String id, Context context) {
        store.deleteGroup(id);
    }
}
