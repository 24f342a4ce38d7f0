package org.grouprelay.testing.scim;

import de.captaingoldfish.scim.sdk.common.resources.ServiceProvider;
import de.captaingoldfish.scim.sdk.common.resources.complex.BulkConfig;
import de.captaingoldfish.scim.sdk.common.resources.complex.ChangePasswordConfig;
import de.captaingoldfish.scim.sdk.common.resources.complex.ETagConfig;
import de.captaingoldfish.scim.sdk.common.resources.complex.FilterConfig;
import de.captaingoldfish.scim.sdk.common.resources.complex.PatchConfig;
import de.captaingoldfish.scim.sdk.common.resources.complex.SortConfig;
import de.captaingoldfish.scim.sdk.common.resources.multicomplex.AuthenticationScheme;
import de.captaingoldfish.scim.sdk.server.endpoints.ResourceEndpoint;
import de.captaingoldfish.scim.sdk.server.endpoints.base.GroupEndpointDefinition;
import de.captaingoldfish.scim.sdk.server.endpoints.base.UserEndpointDefinition;
import de.captaingoldfish.scim.sdk.server.schemas.ResourceType;
import de.captaingoldfish.scim.sdk.server.schemas.custom.ETagFeature;
import de.captaingoldfish.scim.sdk.server.schemas.custom.ResourceTypeFeatures;
import java.util.List;

/** The SCIM library's endpoint for a profile: its /ServiceProviderConfig and /Users, /Groups on the store. */
final class ScimEndpoints {
    static final int MAX_BULK_OPERATIONS = 1000;
    static final int MAX_FILTER_RESULTS = 200;

    private ScimEndpoints() {
    }

    static ResourceEndpoint create(ScimProfile profile, ScimStore store) {
        ResourceEndpoint endpoint = new ResourceEndpoint(serviceProvider(profile));
        configure(endpoint.registerEndpoint(new UserEndpointDefinition(new UserHandler(store, profile.etag()))),
                profile);
        configure(endpoint.registerEndpoint(new GroupEndpointDefinition(new GroupHandler(store, profile.etag()))),
                profile);
        return endpoint;
    }

    /** RFC 7643 §5: what the server announces, per profile. */
    static ServiceProvider serviceProvider(ScimProfile profile) {
        return ServiceProvider.builder()
                .patchConfig(PatchConfig.builder().supported(profile.patch()).build())
                .bulkConfig(BulkConfig.builder()
                        .supported(profile.bulk())
                        .maxOperations(MAX_BULK_OPERATIONS)
                        .maxPayloadSize(4L * 1024 * 1024)
                        .build())
                .filterConfig(FilterConfig.builder().supported(true).maxResults(MAX_FILTER_RESULTS).build())
                .sortConfig(SortConfig.builder().supported(true).build())
                .eTagConfig(ETagConfig.builder().supported(profile.etag()).build())
                .changePasswordConfig(ChangePasswordConfig.builder().supported(false).build())
                .authenticationSchemes(List.of(AuthenticationScheme.builder()
                        .name("OAuth Bearer Token")
                        .description("Authentication with a bearer token")
                        .type("oauthbearertoken")
                        .build()))
                .lenientContentTypeChecking(true)
                .build();
    }

    /** The library filters, sorts and pages the full lists the handlers return; ETags per profile. */
    private static void configure(ResourceType resourceType, ScimProfile profile) {
        resourceType.setFeatures(ResourceTypeFeatures.builder()
                .autoFiltering(true)
                .autoSorting(true)
                .eTagFeature(ETagFeature.builder().enabled(profile.etag()).build())
                .build());
    }
}
