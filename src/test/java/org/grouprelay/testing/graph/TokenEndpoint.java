package org.grouprelay.testing.graph;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The Microsoft identity platform token endpoint, client-credentials grant only:
 * {@code POST /{tenant}/oauth2/v2.0/token} with a form of grant_type, client_id, client_secret and
 * scope (docs: "Microsoft identity platform and the OAuth 2.0 client credentials flow"). Error
 * answers carry the AADSTS codes Entra ID uses: AADSTS90002 unknown tenant, AADSTS700016 unknown
 * application, AADSTS7000215 wrong secret, AADSTS1002012 a scope other than {@code <resource>/.default}.
 */
final class TokenEndpoint {
    static final String GRAPH_SCOPE = "https://graph.microsoft.com/.default";

    private final String tenantId;
    private final String clientId;
    private final String clientSecret;
    private final Tokens tokens;

    TokenEndpoint(String tenantId, String clientId, String clientSecret, Tokens tokens) {
        this.tenantId = tenantId;
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.tokens = tokens;
    }

    /** Whether {@code path} (decoded, from the server root) is a token endpoint of any tenant. */
    static boolean matches(String path) {
        return path.matches("/[^/]+/oauth2/v2\\.0/token");
    }

    GraphAnswer handle(String method, String path, String contentType, String body) {
        String tenant = path.split("/")[1];
        if (!"POST".equals(method)) {
            return error(405, "invalid_request", 900561, "The endpoint only accepts POST requests.");
        }
        if (!tenant.equalsIgnoreCase(tenantId)) {
            return error(400, "invalid_request", 90002,
                    "Tenant '" + tenant + "' not found. Check to make sure you have the correct tenant ID.");
        }
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            return error(400, "invalid_request", 900144, "The request body must contain the following parameter: 'grant_type'.");
        }
        Map<String, String> form = GraphRequest.parseQuery(body);
        if (!"client_credentials".equals(form.get("grant_type"))) {
            return error(400, "unsupported_grant_type", 70003, "The app requested an unsupported grant type '"
                    + form.getOrDefault("grant_type", "") + "'.");
        }
        if (!clientId.equalsIgnoreCase(form.getOrDefault("client_id", ""))) {
            return error(400, "unauthorized_client", 700016, "Application with identifier '"
                    + form.getOrDefault("client_id", "") + "' was not found in the directory '" + tenantId + "'.");
        }
        if (!clientSecret.equals(form.get("client_secret"))) {
            return error(401, "invalid_client", 7000215, "Invalid client secret provided. Ensure the secret being sent in"
                    + " the request is the client secret value, not the client secret ID, for a secret added to app '"
                    + clientId + "'.");
        }
        String scope = form.getOrDefault("scope", "");
        if (!scope.equalsIgnoreCase(GRAPH_SCOPE)) {
            return error(400, "invalid_scope", 1002012, "The provided value for scope " + scope + " is not valid."
                    + " Client credential flows must have a scope value with /.default suffixed to the resource identifier"
                    + " (application ID URI).");
        }
        ObjectNode answer = JsonNodeFactory.instance.objectNode();
        answer.put("token_type", "Bearer");
        answer.put("expires_in", Tokens.LIFETIME.toSeconds());
        answer.put("ext_expires_in", Tokens.LIFETIME.toSeconds());
        answer.put("access_token", tokens.issue());
        return GraphAnswer.json(200, answer);
    }

    private static GraphAnswer error(int status, String error, int code, String description) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        String traceId = UUID.randomUUID().toString();
        body.put("error", error);
        body.put("error_description", "AADSTS" + code + ": " + description + " Trace ID: " + traceId
                + " Timestamp: " + Instant.now());
        body.putArray("error_codes").add(code);
        body.put("timestamp", Instant.now().toString());
        body.put("trace_id", traceId);
        body.put("correlation_id", UUID.randomUUID().toString());
        return GraphAnswer.json(status, body);
    }
}
