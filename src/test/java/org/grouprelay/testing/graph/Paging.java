package org.grouprelay.testing.graph;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Server-driven paging of collections (docs "Paging Microsoft Graph data in your app", "List group
 * members"): at most {@code $top} objects (default 100, 1 to 999) and, when more follow, an absolute
 * {@code @odata.nextLink} that carries the same query and an opaque {@code $skiptoken}.
 */
final class Paging {
    static final int DEFAULT_TOP = 100;
    static final int MAX_TOP = 999;

    private final Supplier<String> baseUrl;

    Paging(Supplier<String> baseUrl) {
        this.baseUrl = baseUrl;
    }

    GraphAnswer page(GraphRequest request, String context, List<ObjectNode> items, Journal journal) {
        int top;
        int offset;
        try {
            top = request.query().containsKey("$top") ? Integer.parseInt(request.query().get("$top")) : DEFAULT_TOP;
            offset = request.query().containsKey("$skiptoken") ? decodeSkipToken(request.query().get("$skiptoken")) : 0;
        } catch (IllegalArgumentException e) {
            journal.violation(request, "$top or $skiptoken not understood (docs: Paging Microsoft Graph data)");
            return GraphAnswer.error(400, "BadRequest", "Invalid $top or $skiptoken value.");
        }
        if (top < 1 || top > MAX_TOP) {
            journal.violation(request, "$top outside 1.." + MAX_TOP + " (docs: List group members, List users)");
            return GraphAnswer.error(400, "Request_UnsupportedQuery", "Invalid page size specified: '" + top
                    + "'. Must be between 1 and " + MAX_TOP + " inclusive.");
        }
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("@odata.context", "https://graph.microsoft.com/v1.0/$metadata#" + context);
        int end = Math.min(items.size(), offset + top);
        if (end < items.size()) {
            body.put("@odata.nextLink", nextLink(request, top, end));
        }
        ArrayNode value = body.putArray("value");
        items.subList(Math.min(offset, items.size()), end).forEach(value::add);
        return GraphAnswer.json(200, body);
    }

    private String nextLink(GraphRequest request, int top, int nextOffset) {
        Map<String, String> query = new LinkedHashMap<>(request.query());
        query.remove("$skiptoken");
        query.put("$top", Integer.toString(top));
        query.put("$skiptoken", encodeSkipToken(nextOffset));
        return baseUrl.get() + "/v1.0" + request.path() + "?" + query.entrySet().stream()
                .map(entry -> encode(entry.getKey()) + "=" + encode(entry.getValue()))
                .collect(Collectors.joining("&"));
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("%24", "$");
    }

    private static String encodeSkipToken(int offset) {
        return "RFNwdAIAAQAAA" + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(("offset:" + offset).getBytes(StandardCharsets.UTF_8));
    }

    private static int decodeSkipToken(String token) {
        if (!token.startsWith("RFNwdAIAAQAAA")) {
            throw new IllegalArgumentException(token);
        }
        String decoded = new String(Base64.getUrlDecoder().decode(token.substring(13)), StandardCharsets.UTF_8);
        if (!decoded.startsWith("offset:")) {
            throw new IllegalArgumentException(token);
        }
        return Integer.parseInt(decoded.substring(7));
    }
}
