package org.grouprelay.testing.mas;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.HttpUrl;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.RecordedRequest;
import org.grouprelay.testing.mas.FakeMas.Recorded;
import org.grouprelay.testing.mas.MasClients.Client;
import org.grouprelay.testing.mas.MasClients.Refusal;
import org.grouprelay.testing.mas.MasReplies.Reply;
import org.grouprelay.testing.mas.OpenApiContract.Body;
import org.grouprelay.testing.mas.OpenApiContract.Operation;
import org.grouprelay.testing.mas.OpenApiContract.Route;

/**
 * Answers every request: the token endpoint, then (after injected failures) the admin API in the
 * order MAS's handlers take a request apart: route, bearer token (CallContext), parameters, body.
 * Every request is recorded with the status answered; broken contract rules become violations.
 * Requests are answered one at a time.
 */
final class MasHttpHandler extends Dispatcher {
    static final String TOKEN_PATH = "/oauth2/token";
    private static final String ADMIN_PREFIX = "/api/admin/";

    private final MasClients clients;
    private final OpenApiContract contract;
    private final UserEndpoints users;
    private final MasReplies replies;
    private final InjectedFailures failures;
    private final List<Recorded> recorded = new CopyOnWriteArrayList<>();
    private final List<String> violations;

    MasHttpHandler(MasClients clients, OpenApiContract contract, UserEndpoints users, MasReplies replies,
            InjectedFailures failures, List<String> violations) {
        this.clients = clients;
        this.contract = contract;
        this.users = users;
        this.replies = replies;
        this.failures = failures;
        this.violations = violations;
    }

    List<Recorded> recorded() {
        return List.copyOf(recorded);
    }

    void clearRecorded() {
        recorded.clear();
    }

    @Override
    public synchronized MockResponse dispatch(RecordedRequest request) {
        HttpUrl url = request.getRequestUrl();
        String method = request.getMethod();
        String path = url.encodedPath();
        String body = request.getBody().readUtf8();
        String query = url.encodedQuery() == null ? "" : URLDecoder.decode(url.encodedQuery(), StandardCharsets.UTF_8);
        Reply reply = answer(request, method, path, body, url);
        recorded.add(new Recorded(method, path, query, body, reply.status()));
        return new MockResponse().setResponseCode(reply.status())
                .setHeader("Content-Type", "application/json")
                .setBody(reply.body());
    }

    private Reply answer(RecordedRequest request, String method, String path, String body, HttpUrl url) {
        if (path.equals(TOKEN_PATH)) {
            return token(request, method, body);
        }
        Optional<Integer> failure = failures.take();
        if (failure.isPresent()) {
            return replies.error(failure.get(), "Injected failure");
        }
        if (!path.startsWith(ADMIN_PREFIX)) {
            return replies.error(404, "Not found");
        }
        return admin(request, method, path, body, queryOf(url));
    }

    private Reply admin(RecordedRequest request, String method, String path, String body,
            Map<String, List<String>> query) {
        String where = method + " " + path;
        Route route = contract.route(method, path);
        if (route.operation().isEmpty()) {
            violations.add(where + ": no such operation in MAS's OpenAPI document");
            return route.pathKnown() ? replies.error(405, "Method not allowed") : replies.error(404, "Not found");
        }
        Operation operation = route.operation().get();
        Optional<Reply> refused = authorize(request.getHeader("Authorization"));
        if (refused.isPresent()) {
            return refused.get();
        }
        List<String> problems = contract.parameterProblems(operation, query);
        if (!problems.isEmpty()) {
            violations.add(where + ": " + String.join("; ", problems));
            return replies.error(400, String.join("; ", problems));
        }
        Body parsed = contract.body(operation, request.getHeader("Content-Type"), body);
        if (parsed instanceof Body.Refused refusal) {
            violations.add(where + ": " + refusal.problem());
            return replies.error(refusal.status(), refusal.problem());
        }
        if (parsed instanceof Body.Absent absent && absent.ignoredText() && operation.node().has("requestBody")) {
            violations.add(where + ": body sent without Content-Type, so MAS reads no body at all");
        }
        return users.handle(operation, query, parsed).orElseGet(() -> {
            violations.add(where + ": " + operation.operationId() + " is not implemented by the fake");
            return replies.error(501, operation.operationId() + " is not implemented by the fake");
        });
    }

    /** call_context.rs: no or malformed Authorization header 400; unknown, expired or scope-less token 401. */
    private Optional<Reply> authorize(String authorization) {
        if (authorization == null) {
            return Optional.of(replies.error(400, "Missing authorization header"));
        }
        if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7) || authorization.length() <= 7) {
            return Optional.of(replies.error(400, "Invalid authorization header"));
        }
        Optional<Refusal> refusal = clients.check(authorization.substring(7).trim());
        return refusal.map(reason -> replies.error(401, reason.title));
    }

    /** oauth2/token.rs for the client_credentials grant. */
    private Reply token(RecordedRequest request, String method, String body) {
        if (!method.equals("POST")) {
            return replies.error(405, "Method not allowed");
        }
        Map<String, List<String>> form = parse(body);
        Optional<String[]> credentials = basic(request.getHeader("Authorization"))
                .or(() -> Optional.ofNullable(first(form, "client_id"))
                        .map(id -> new String[] {id, first(form, "client_secret")}));
        if (credentials.isEmpty()) {
            return replies.oauthError(401, "invalid_client", null);
        }
        Optional<Client> client = clients.authenticate(credentials.get()[0], credentials.get()[1]);
        if (client.isEmpty()) {
            return replies.oauthError(401, "invalid_client", null);
        }
        String grantType = first(form, "grant_type");
        if (grantType == null) {
            return replies.oauthError(400, "invalid_request", null);
        }
        if (!grantType.equals("client_credentials")) {
            return replies.oauthError(400, "unsupported_grant_type", null);
        }
        Set<String> scope = new LinkedHashSet<>();
        Optional.ofNullable(first(form, "scope")).ifPresent(text -> {
            for (String token : text.trim().split(" +")) {
                if (!token.isEmpty()) {
                    scope.add(token);
                }
            }
        });
        for (String token : scope) {
            boolean allowed = token.equals(MasClients.GRAPHQL_SCOPE)
                    || token.equals(MasClients.ADMIN_SCOPE) && client.get().admin();
            if (!allowed) {
                return replies.oauthError(403, "invalid_scope", "scope " + token + " not allowed for this client");
            }
        }
        MasClients.Token token = clients.issue(client.get(), scope);
        var answer = replies.object()
                .put("access_token", token.value())
                .put("token_type", "Bearer")
                .put("expires_in", MasClients.TOKEN_TTL.toSeconds());
        if (!scope.isEmpty()) {
            answer.put("scope", String.join(" ", scope));
        }
        return replies.ok(answer);
    }

    /** RFC 6749 §2.3.1: Basic with the form-encoded client ID and secret. */
    private static Optional<String[]> basic(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return Optional.empty();
        }
        return Optional.of(new String[] {
            URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8),
            URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8)});
    }

    private static Map<String, List<String>> queryOf(HttpUrl url) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        for (int i = 0; i < url.querySize(); i++) {
            String value = url.queryParameterValue(i);
            query.computeIfAbsent(url.queryParameterName(i), name -> new ArrayList<>()).add(value == null ? "" : value);
        }
        return query;
    }

    private static Map<String, List<String>> parse(String form) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        for (String pair : form.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            String[] parts = pair.split("=", 2);
            values.computeIfAbsent(URLDecoder.decode(parts[0], StandardCharsets.UTF_8), name -> new ArrayList<>())
                    .add(parts.length > 1 ? URLDecoder.decode(parts[1], StandardCharsets.UTF_8) : "");
        }
        return values;
    }

    private static String first(Map<String, List<String>> values, String name) {
        List<String> list = values.get(name);
        return list == null || list.isEmpty() ? null : list.get(0);
    }
}
