package org.grouprelay.testing.graph;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import okhttp3.HttpUrl;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.RecordedRequest;

/**
 * Turns HTTP requests into token requests or Graph operations: checks the bearer token (401
 * InvalidAuthenticationToken otherwise), applies planned faults, runs $batch, records everything.
 */
final class GraphHttpHandler {
    private final ObjectMapper mapper;
    private final Journal journal;
    private final Tokens tokens;
    private final TokenEndpoint tokenEndpoint;
    private final Faults faults;
    private final GraphRoutes routes;
    private final BatchRoute batch;

    GraphHttpHandler(ObjectMapper mapper, Journal journal, Tokens tokens, TokenEndpoint tokenEndpoint, Faults faults,
            GraphRoutes routes) {
        this.mapper = mapper;
        this.journal = journal;
        this.tokens = tokens;
        this.tokenEndpoint = tokenEndpoint;
        this.faults = faults;
        this.routes = routes;
        this.batch = new BatchRoute(mapper, journal, this::operation);
    }

    /** One request at a time: the fake's state changes in the order requests are answered. */
    synchronized MockResponse dispatch(RecordedRequest recorded) {
        HttpUrl url = recorded.getRequestUrl();
        String path = "/" + String.join("/", url.pathSegments());
        String rawQuery = url.encodedQuery();
        String body = recorded.getBody().readUtf8();
        Map<String, String> headers = new LinkedHashMap<>();
        recorded.getHeaders().forEach(pair -> headers.put(pair.getFirst().toLowerCase(Locale.ROOT), pair.getSecond()));
        String method = recorded.getMethod();
        GraphAnswer answer;
        if (TokenEndpoint.matches(path)) {
            answer = tokenEndpoint.handle(method, path, headers.get("content-type"), body);
        } else if (path.startsWith("/v1.0/")) {
            answer = graph(new GraphRequest(method, path.substring("/v1.0".length()), GraphRequest.parseQuery(rawQuery),
                    headers, body));
        } else {
            GraphRequest request = new GraphRequest(method, path, GraphRequest.parseQuery(rawQuery), headers, body);
            journal.violation(request, "not a Graph v1.0 or token endpoint");
            answer = GraphAnswer.error(404, "UnknownVersion", "Unsupported API version or path.");
        }
        journal.request(new FakeGraph.Recorded(method, path, rawQuery == null ? "" : GraphRequest.decode(rawQuery),
                body, answer.status()));
        return response(answer);
    }

    private GraphAnswer graph(GraphRequest request) {
        Tokens.Check check = tokens.check(request.header("authorization"));
        switch (check) {
            case MISSING -> {
                journal.violation(request, "no bearer token");
                return GraphAnswer.error(401, "InvalidAuthenticationToken", "Access token is empty.");
            }
            case UNKNOWN -> {
                journal.violation(request, "a bearer token this tenant did not issue");
                return GraphAnswer.error(401, "InvalidAuthenticationToken", "Access token validation failure. Invalid audience.");
            }
            case EXPIRED -> {
                // not a violation: the client learns of the expiry from this answer and fetches a new token
                return GraphAnswer.error(401, "InvalidAuthenticationToken",
                        "Lifetime validation failed, the token is expired.");
            }
            default -> {
            }
        }
        if (request.path().equals("/$batch") && request.method().equals("POST")) {
            return batch.handle(request);
        }
        return operation(request);
    }

    /** One Graph operation: a planned fault, or the route's answer. */
    private GraphAnswer operation(GraphRequest request) {
        return faults.take().map(Faults.Fault::answer).orElseGet(() -> routes.handle(request));
    }

    private MockResponse response(GraphAnswer answer) {
        MockResponse response = new MockResponse().setResponseCode(answer.status());
        answer.headers().forEach(response::setHeader);
        String requestId = UUID.randomUUID().toString();
        response.setHeader("request-id", requestId);
        response.setHeader("client-request-id", requestId);
        if (answer.body() != null) {
            try {
                response.setBody(mapper.writeValueAsString(answer.body()));
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
        }
        return response;
    }
}
