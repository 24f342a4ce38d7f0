package org.grouprelay.targets.entra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.grouprelay.targets.TargetException;
import org.grouprelay.targets.http.JsonHttp;

/**
 * JSON batching ({@code POST /v1.0/$batch}): at most 20 requests per call, each answered on its own. A throttled
 * sub-request (429/503) makes the whole batch transient with the longest {@code Retry-After} asked; the caller's
 * other results stand (every operation sent this way is idempotent).
 */
final class GraphBatch {
    static final int MAX = 20;

    /** One request of a batch: {@code method} and {@code url} relative to {@code /v1.0}. */
    record Part(String method, String url, JsonNode body) {
    }

    private final GraphHttp http;

    GraphBatch(GraphHttp http) {
        this.http = http;
    }

    /** The answers of {@code parts}, in order, sent {@value #MAX} per request. */
    List<JsonHttp.Answer> send(List<Part> parts, String what) throws TargetException {
        List<JsonHttp.Answer> answers = new ArrayList<>();
        Optional<Duration> throttled = Optional.empty();
        int throttledStatus = 0;
        for (int from = 0; from < parts.size(); from += MAX) {
            List<Part> chunk = parts.subList(from, Math.min(parts.size(), from + MAX));
            ObjectNode body = http.json().createObjectNode();
            ArrayNode requests = body.putArray("requests");
            for (int i = 0; i < chunk.size(); i++) {
                ObjectNode request = requests.addObject().put("id", String.valueOf(i + 1)).put("method", chunk.get(i).method())
                        .put("url", "/" + chunk.get(i).url());
                if (chunk.get(i).body() != null) {
                    request.set("body", chunk.get(i).body());
                    request.putObject("headers").put("Content-Type", "application/json");
                }
            }
            JsonHttp.Answer answer = http.call("POST", "$batch", body, what);
            if (!answer.ok()) {
                throw new TargetException(what + ": HTTP " + answer.status() + " " + GraphHttp.message(answer), false, null);
            }
            Map<String, JsonNode> byId = new HashMap<>();
            answer.body().path("responses").forEach(r -> byId.put(r.path("id").asText(), r));
            for (int i = 0; i < chunk.size(); i++) {
                JsonNode response = byId.get(String.valueOf(i + 1));
                int status = response == null ? 500 : response.path("status").asInt(500);
                if (status == 429 || status == 503 || status >= 500) {
                    Optional<Duration> after = JsonHttp.retryAfter(response == null ? null : response.path("headers").path("Retry-After").asText(null));
                    throttled = Optional.of(max(throttled.orElse(Duration.ZERO), after.orElse(Duration.ZERO)));
                    throttledStatus = Math.max(throttledStatus, status);
                }
                JsonNode headers = response == null ? http.json().createObjectNode() : response.path("headers");
                answers.add(new JsonHttp.Answer(status, response == null ? http.json().createObjectNode() : response.path("body"),
                        name -> headers.path(name).asText(null)));
            }
        }
        if (throttled.isPresent()) {
            Optional<Duration> after = throttled.filter(d -> !d.isZero());
            throw new TargetException(what + ": HTTP " + throttledStatus + " for part of a $batch"
                    + after.map(d -> ", retry after " + d.toSeconds() + " s").orElse(""), true, null, after);
        }
        return answers;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
