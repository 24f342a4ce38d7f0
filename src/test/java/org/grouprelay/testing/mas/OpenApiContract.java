package org.grouprelay.testing.mas;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * MAS's own OpenAPI document of its admin API (src/test/resources/mas/openapi.json, see SOURCE.md),
 * used to check each request: is there such an operation, are its path and query parameters
 * declared and valid, is its JSON body valid against the operation's request schema.
 */
final class OpenApiContract {
    static final String RESOURCE = "/mas/openapi.json";

    /** An operation of the document the request names, with its decoded path parameters. */
    record Operation(String method, String template, String operationId, JsonNode node, Map<String, String> pathParams) {
    }

    /** The outcome of routing: the operation, or that the path or the method is not in the document. */
    record Route(Optional<Operation> operation, boolean pathKnown) {
    }

    /** A request body as MAS's axum extractors see it (see {@link #body}). */
    sealed interface Body {
        /** No body, or a body MAS does not read (no Content-Type: axum's {@code Option<Json<_>>} is then None). */
        record Absent(boolean ignoredText) implements Body {
        }

        record Valid(JsonNode json) implements Body {
        }

        /** Refused with the status axum's Json extractor answers (400 syntax, 415 media type, 422 data). */
        record Refused(int status, String problem) implements Body {
        }
    }

    private record PathTemplate(String template, Pattern regex, List<String> names, JsonNode item) {
    }

    private final ObjectMapper json = new ObjectMapper();
    private final JsonNode document;
    private final SchemaCheck schemas;
    private final List<PathTemplate> paths = new ArrayList<>();

    private OpenApiContract(JsonNode document) {
        this.document = document;
        this.schemas = new SchemaCheck(document);
        Iterator<Map.Entry<String, JsonNode>> entries = document.get("paths").fields();
        while (entries.hasNext()) {
            Map.Entry<String, JsonNode> entry = entries.next();
            paths.add(compile(entry.getKey(), entry.getValue()));
        }
        // literal segments before parameters: /users/by-username/{username} before /users/{id}/...
        paths.sort((a, b) -> Long.compare(a.names().size(), b.names().size()));
    }

    static OpenApiContract load() {
        try (InputStream in = OpenApiContract.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " not on the test class path");
            }
            return new OpenApiContract(new ObjectMapper().readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String version() {
        return document.path("openapi").asText();
    }

    Route route(String method, String encodedPath) {
        boolean pathKnown = false;
        for (PathTemplate path : paths) {
            Matcher matcher = path.regex().matcher(encodedPath);
            if (!matcher.matches()) {
                continue;
            }
            pathKnown = true;
            JsonNode operation = path.item().get(method.toLowerCase(Locale.ROOT));
            if (operation == null) {
                continue;
            }
            Map<String, String> params = new LinkedHashMap<>();
            for (int i = 0; i < path.names().size(); i++) {
                params.put(path.names().get(i), URLDecoder.decode(matcher.group(i + 1), StandardCharsets.UTF_8));
            }
            return new Route(Optional.of(new Operation(method, path.template(),
                    operation.path("operationId").asText(), operation, params)), true);
        }
        return new Route(Optional.empty(), pathKnown);
    }

    /**
     * Problems with the path and query parameters: undeclared query parameters, missing required
     * ones, values invalid against their schema. Query values arrive decoded, several per name.
     */
    List<String> parameterProblems(Operation operation, Map<String, List<String>> query) {
        List<String> problems = new ArrayList<>();
        Set<String> declared = new java.util.HashSet<>();
        for (JsonNode parameter : operation.node().path("parameters")) {
            String name = parameter.get("name").asText();
            String in = parameter.get("in").asText();
            JsonNode schema = parameter.path("schema");
            List<String> values = switch (in) {
                case "path" -> Optional.ofNullable(operation.pathParams().get(name)).map(List::of).orElse(List.of());
                case "query" -> query.getOrDefault(name, List.of());
                default -> List.of();
            };
            if (in.equals("query")) {
                declared.add(name);
            }
            if (values.isEmpty() && parameter.path("required").asBoolean(false)) {
                problems.add(in + " parameter " + name + " is required");
            }
            boolean array = schemas.types(schema).contains("array");
            if (!array && values.size() > 1) {
                problems.add(in + " parameter " + name + " given " + values.size() + " times");
            }
            JsonNode itemSchema = array ? schemas.resolve(schema).get("items") : schema;
            for (String value : values) {
                problems.addAll(schemas.problems(coerce(value, itemSchema), itemSchema, in + " parameter " + name));
            }
        }
        for (String name : query.keySet()) {
            if (!declared.contains(name)) {
                problems.add("query parameter " + name + " is not declared for " + operation.operationId());
            }
        }
        return problems;
    }

    /** The body as MAS would take it for this operation, checked against its request schema. */
    Body body(Operation operation, String contentType, String text) {
        JsonNode requestBody = operation.node().get("requestBody");
        if (requestBody == null) {
            return new Body.Absent(!text.isEmpty());
        }
        if (contentType == null) {
            return new Body.Absent(!text.isEmpty());
        }
        String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        JsonNode media = requestBody.path("content").get(mediaType);
        if (media == null) {
            return new Body.Refused(415, "Content-Type " + contentType + " is not one of "
                    + iterable(requestBody.path("content").fieldNames()) + " for " + operation.operationId());
        }
        JsonNode parsed;
        try {
            parsed = json.readTree(text);
        } catch (JsonProcessingException e) {
            return new Body.Refused(400, "body is not JSON: " + e.getOriginalMessage());
        }
        if (parsed == null || parsed.isMissingNode()) {
            return new Body.Refused(400, "Content-Type " + contentType + " with an empty body");
        }
        List<String> problems = schemas.problems(parsed, media.path("schema"), "body");
        return problems.isEmpty() ? new Body.Valid(parsed) : new Body.Refused(422, String.join("; ", problems));
    }

    private JsonNode coerce(String value, JsonNode schema) {
        List<String> types = schemas.types(schema);
        if (types.contains("integer") && value.matches("-?\\d{1,18}")) {
            return LongNode.valueOf(Long.parseLong(value));
        }
        if (types.contains("boolean") && (value.equals("true") || value.equals("false"))) {
            return BooleanNode.valueOf(Boolean.parseBoolean(value));
        }
        return TextNode.valueOf(value);
    }

    private static PathTemplate compile(String template, JsonNode item) {
        List<String> names = new ArrayList<>();
        Matcher parameter = Pattern.compile("\\{([^}/]+)}").matcher(template);
        StringBuilder regex = new StringBuilder();
        int last = 0;
        while (parameter.find()) {
            regex.append(Pattern.quote(template.substring(last, parameter.start()))).append("([^/]+)");
            names.add(parameter.group(1));
            last = parameter.end();
        }
        regex.append(Pattern.quote(template.substring(last)));
        return new PathTemplate(template, Pattern.compile(regex.toString()), names, item);
    }

    private static List<String> iterable(Iterator<String> names) {
        List<String> list = new ArrayList<>();
        names.forEachRemaining(list::add);
        return list;
    }
}
