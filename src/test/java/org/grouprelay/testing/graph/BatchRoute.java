package org.grouprelay.testing.graph;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * POST /$batch (docs "Combine multiple requests in one HTTP call using JSON batching"): at most 20
 * requests, each with a unique id, a method and a URL relative to the version; a request with a body
 * must name its Content-Type. Each one is executed as its own operation, so each can fail or be
 * throttled on its own; the envelope answers 200 with one response per request.
 */
final class BatchRoute {
    static final int MAX_STEPS = 20;

    private final ObjectMapper mapper;
    private final Journal journal;
    private final Function<GraphRequest, GraphAnswer> operation;

    BatchRoute(ObjectMapper mapper, Journal journal, Function<GraphRequest, GraphAnswer> operation) {
        this.mapper = mapper;
        this.journal = journal;
        this.operation = operation;
    }

    GraphAnswer handle(GraphRequest envelope) {
        JsonNode root;
        try {
            root = mapper.readTree(envelope.body());
        } catch (JsonProcessingException e) {
            root = null;
        }
        if (root == null || !root.path("requests").isArray()) {
            journal.violation(envelope, "$batch body needs a requests array (docs: JSON batching)");
            return GraphAnswer.error(400, "BadRequest", "Invalid batch payload format.");
        }
        JsonNode steps = root.get("requests");
        if (steps.size() > MAX_STEPS) {
            journal.violation(envelope, steps.size() + " requests in one $batch, at most " + MAX_STEPS
                    + " (docs: JSON batching)");
            return GraphAnswer.error(400, "BadRequest", "Number of batch request steps exceeds the maximum of "
                    + MAX_STEPS + ".");
        }
        Set<String> ids = new HashSet<>();
        for (JsonNode step : steps) {
            String id = step.path("id").asText("");
            if (id.isEmpty() || !ids.add(id) || step.path("method").asText("").isEmpty()
                    || step.path("url").asText("").isEmpty()) {
                journal.violation(envelope, "each $batch request needs a unique id, a method and a url (docs: JSON batching)");
                return GraphAnswer.error(400, "BadRequest", "Invalid batch payload format.");
            }
        }
        ObjectNode answer = JsonNodeFactory.instance.objectNode();
        ArrayNode responses = answer.putArray("responses");
        for (JsonNode step : steps) {
            responses.add(execute(envelope, step));
        }
        return GraphAnswer.json(200, answer);
    }

    private ObjectNode execute(GraphRequest envelope, JsonNode step) {
        String url = step.get("url").asText();
        Map<String, String> headers = new LinkedHashMap<>();
        step.path("headers").fields().forEachRemaining(
                header -> headers.put(header.getKey().toLowerCase(Locale.ROOT), header.getValue().asText()));
        headers.putIfAbsent("authorization", envelope.header("authorization"));
        String body = step.has("body") && !step.get("body").isNull() ? step.get("body").toString() : "";
        int question = url.indexOf('?');
        String rawPath = question < 0 ? url : url.substring(0, question);
        String path = (rawPath.startsWith("/") ? "" : "/") + rawPath;
        GraphRequest request = new GraphRequest(step.get("method").asText().toUpperCase(Locale.ROOT),
                decodePath(path), GraphRequest.parseQuery(question < 0 ? "" : url.substring(question + 1)), headers, body);
        GraphAnswer result;
        if (url.startsWith("http://") || url.startsWith("https://")) {
            journal.violation(request, "$batch url must be relative to the version (docs: JSON batching)");
            result = GraphAnswer.error(400, "BadRequest", "Invalid request URL: only relative URLs are allowed.");
        } else if (!body.isEmpty() && request.header("content-type") == null) {
            journal.violation(request, "$batch request with a body needs a Content-Type header (docs: JSON batching)");
            result = GraphAnswer.error(400, "BadRequest", "Content-Type header must be specified when a body is provided.");
        } else {
            result = operation.apply(request);
        }
        journal.batchStep(new FakeGraph.Recorded(request.method(), "/v1.0" + request.path(),
                question < 0 ? "" : GraphRequest.decode(url.substring(question + 1)), body, result.status()));
        ObjectNode response = JsonNodeFactory.instance.objectNode();
        response.put("id", step.get("id").asText());
        response.put("status", result.status());
        ObjectNode responseHeaders = response.putObject("headers");
        result.headers().forEach(responseHeaders::put);
        if (result.body() != null) {
            response.set("body", result.body());
        }
        return response;
    }

    private static String decodePath(String path) {
        StringBuilder decoded = new StringBuilder();
        for (String segment : path.substring(1).split("/", -1)) {
            decoded.append('/').append(GraphRequest.decodeSegment(segment));
        }
        return decoded.toString();
    }
}
