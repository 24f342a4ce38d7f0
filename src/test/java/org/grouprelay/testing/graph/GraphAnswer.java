package org.grouprelay.testing.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** An answer to one Graph operation: status, headers and an optional JSON body. */
record GraphAnswer(int status, Map<String, String> headers, JsonNode body) {

    GraphAnswer {
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    static GraphAnswer noContent() {
        return new GraphAnswer(204, Map.of(), null);
    }

    static GraphAnswer json(int status, JsonNode body) {
        return new GraphAnswer(status, Map.of("Content-Type", "application/json"), body);
    }

    /**
     * The Graph error shape: {@code {"error":{"code","message","innerError":{...}}}} (Microsoft Graph
     * v1.0 docs, "Microsoft Graph error responses and resource types").
     */
    static GraphAnswer error(int status, String code, String message) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ObjectNode error = body.putObject("error");
        error.put("code", code);
        error.put("message", message);
        error.putObject("innerError").put("date", java.time.Instant.now().toString())
                .put("request-id", java.util.UUID.randomUUID().toString());
        return json(status, body);
    }

    GraphAnswer withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new GraphAnswer(status, more, body);
    }

    String errorCode() {
        return body == null ? "" : body.path("error").path("code").asText("");
    }
}
