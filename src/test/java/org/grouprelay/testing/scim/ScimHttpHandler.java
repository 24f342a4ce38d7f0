package org.grouprelay.testing.scim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.captaingoldfish.scim.sdk.common.constants.enums.HttpMethod;
import de.captaingoldfish.scim.sdk.common.response.ScimResponse;
import de.captaingoldfish.scim.sdk.server.endpoints.Context;
import de.captaingoldfish.scim.sdk.server.endpoints.ResourceEndpoint;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.RecordedRequest;
import org.grouprelay.testing.scim.ScimServer.Recorded;

/**
 * Answers every request under the base path: records it, applies injected faults, checks the
 * bearer token and the profile's request-shape rules, and hands the rest to the SCIM library.
 * Requests are answered one at a time, so a PATCH reads and writes a group without interleaving.
 */
final class ScimHttpHandler extends Dispatcher {
    static final String BASE_PATH = "/scim/v2";
    private static final String SERVICE_PROVIDER_CONFIG = "/ServiceProviderConfig";
    private static final String SCIM_JSON = "application/scim+json";

    private record Reply(int status, Map<String, String> headers, String body) {
    }

    private final ScimProfile profile;
    private final BearerToken token;
    private final ResourceEndpoint endpoint;
    private final PatchRules rules;
    private final InjectedFaults faults;
    private final List<Recorded> recorded = new CopyOnWriteArrayList<>();
    private final List<String> violations = new CopyOnWriteArrayList<>();
    private final ObjectMapper json = new ObjectMapper();
    private volatile String baseUrl;

    ScimHttpHandler(ScimProfile profile, BearerToken token, ResourceEndpoint endpoint, InjectedFaults faults) {
        this.profile = profile;
        this.token = token;
        this.endpoint = endpoint;
        this.rules = new PatchRules(profile);
        this.faults = faults;
    }

    void baseUrl(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    List<Recorded> recorded() {
        return List.copyOf(recorded);
    }

    void clearRecorded() {
        recorded.clear();
    }

    List<String> violations() {
        return List.copyOf(violations);
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        String method = request.getMethod();
        URI uri = request.getRequestUrl().uri();
        String path = uri.getPath().substring(Math.min(BASE_PATH.length(), uri.getPath().length()));
        String rawQuery = uri.getRawQuery();
        String body = request.getBody().readUtf8();
        Map<String, String> headers = new LinkedHashMap<>();
        request.getHeaders().names().forEach(name -> headers.put(name, request.getHeaders().get(name)));
        Reply reply;
        synchronized (this) {
            reply = uri.getPath().startsWith(BASE_PATH + "/")
                    ? answer(method, path, rawQuery, body, headers)
                    : error(404, null, "no SCIM endpoint at " + uri.getPath(), Map.of());
            recorded.add(new Recorded(method, path, decoded(rawQuery), body, reply.status()));
        }
        MockResponse response = new MockResponse().setResponseCode(reply.status());
        reply.headers().forEach(response::setHeader);
        return reply.body().isEmpty() ? response : response.setBody(reply.body());
    }

    /** The query with each parameter form-decoded ({@code +} and {@code %20} both a space). */
    private static String decoded(String rawQuery) {
        if (rawQuery == null) {
            return "";
        }
        return Arrays.stream(rawQuery.split("&"))
                .map(part -> URLDecoder.decode(part, StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    private Reply answer(String method, String path, String rawQuery, String body, Map<String, String> headers) {
        if (!path.equals(SERVICE_PROVIDER_CONFIG)) {
            Optional<InjectedFaults.Fault> fault = faults.take();
            if (fault.isPresent()) {
                return injected(fault.get());
            }
        }
        boolean discovery = method.equals("GET") && path.equals(SERVICE_PROVIDER_CONFIG);
        if (!discovery && !token.presentIn(headers)) {
            return error(401, null, "a valid bearer token is required", Map.of("WWW-Authenticate", "Bearer"));
        }
        PatchRules.Verdict verdict = rules.check(method, path, body);
        violations.addAll(verdict.violations());
        if (verdict.rejection().isPresent()) {
            PatchRules.Rejection rejection = verdict.rejection().get();
            return error(rejection.status(), rejection.scimType(), rejection.detail(), Map.of());
        }
        String forwarded = verdict.violations().isEmpty() ? body : verdict.body();
        return forward(method, path, rawQuery, forwarded, headers);
    }

    /** Hands the request to the SCIM library, then shapes its answer as the profile's server would. */
    private Reply forward(String method, String path, String rawQuery, String body, Map<String, String> headers) {
        HttpMethod httpMethod;
        try {
            httpMethod = HttpMethod.valueOf(method);
        } catch (IllegalArgumentException e) {
            return error(405, null, "method " + method + " is not supported", Map.of());
        }
        String url = baseUrl + path + (rawQuery == null ? "" : "?" + rawQuery);
        ScimResponse response = endpoint.handleRequest(url, httpMethod, body.isEmpty() ? null : body, headers,
                new Context(token));
        if (profile.patchAnswersNoContent() && method.equals("PATCH") && response.getHttpStatus() == 200) {
            return new Reply(204, Map.of(), "");
        }
        String responseBody = response.isEmpty() ? "" : response.toString();
        if (!profile.membersOnGet() && method.equals("GET") && path.startsWith("/Groups")) {
            responseBody = withoutMembers(responseBody);
        }
        return new Reply(response.getHttpStatus(), response.getHttpHeaders(), responseBody);
    }

    /** RFC 6585 §4 (429) and RFC 7231 §7.1.3 (Retry-After), with a SCIM error body (RFC 7644 §3.12). */
    private static Reply injected(InjectedFaults.Fault fault) {
        Map<String, String> headers = new LinkedHashMap<>();
        fault.retryAfterSeconds().ifPresent(seconds -> headers.put("Retry-After", Integer.toString(seconds)));
        return error(fault.status(), null, "injected failure " + fault.status(), headers);
    }

    /** AWS IAM Identity Center answers GET of groups without members (authentik #23005). */
    private String withoutMembers(String body) {
        try {
            JsonNode document = json.readTree(body);
            if (document instanceof ObjectNode object) {
                object.remove("members");
                for (JsonNode resource : object.path("Resources")) {
                    ((ObjectNode) resource).remove("members");
                }
            }
            return document.toString();
        } catch (IOException e) {
            return body;
        }
    }

    /** An answer with a SCIM error body (RFC 7644 §3.12). */
    private static Reply error(int status, String scimType, String detail, Map<String, String> headers) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put("Content-Type", SCIM_JSON);
        return new Reply(status, all, ScimErrors.body(status, scimType, detail));
    }
}
