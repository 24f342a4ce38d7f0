package org.grouprelay.testing.mas;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The part of JSON Schema (2020-12, as OpenAPI 3.1 uses it) that MAS's admin API document needs to
 * check requests: {@code $ref} to {@code #/components/schemas/...}, {@code allOf}, {@code anyOf},
 * {@code oneOf}, {@code type} (one or several), {@code enum}, {@code pattern}, {@code minimum},
 * {@code properties}, {@code required}, {@code additionalProperties} and {@code items}. Annotations
 * ({@code description}, {@code format}, {@code default}, ...) are not assertions and are skipped.
 */
final class SchemaCheck {
    private final JsonNode document;

    SchemaCheck(JsonNode document) {
        this.document = document;
    }

    /** The problems of {@code value} against {@code schema}, each naming its place; empty when valid. */
    List<String> problems(JsonNode value, JsonNode schema, String where) {
        List<String> problems = new ArrayList<>();
        check(value, schema, where, problems);
        return problems;
    }

    boolean valid(JsonNode value, JsonNode schema) {
        return problems(value, schema, "").isEmpty();
    }

    /** Follows {@code $ref} (only local references occur in the document); annotations beside it are dropped. */
    JsonNode resolve(JsonNode schema) {
        return schema.has("$ref") ? resolve(document.at(schema.get("$ref").asText().substring(1))) : schema;
    }

    /** The JSON types a schema admits at its top (through $ref and allOf), or empty when it says nothing. */
    List<String> types(JsonNode schema) {
        JsonNode resolved = resolve(schema);
        List<String> types = new ArrayList<>();
        JsonNode type = resolved.get("type");
        if (type != null && type.isArray()) {
            type.forEach(entry -> types.add(entry.asText()));
        } else if (type != null) {
            types.add(type.asText());
        }
        for (String combinator : List.of("allOf", "anyOf", "oneOf")) {
            if (resolved.has(combinator)) {
                resolved.get(combinator).forEach(part -> types.addAll(types(part)));
            }
        }
        return types;
    }

    private void check(JsonNode value, JsonNode schema, String where, List<String> problems) {
        if (schema.has("$ref")) {
            JsonNode target = document.at(schema.get("$ref").asText().substring(1));
            check(value, target, where, problems);
        }
        if (schema.has("allOf")) {
            schema.get("allOf").forEach(part -> check(value, part, where, problems));
        }
        if (schema.has("anyOf") && count(value, schema.get("anyOf")) == 0) {
            problems.add(where + ": matches none of anyOf");
        }
        if (schema.has("oneOf") && count(value, schema.get("oneOf")) != 1) {
            problems.add(where + ": must match exactly one of oneOf");
        }
        if (schema.has("type") && !typeMatches(value, schema.get("type"))) {
            problems.add(where + ": expected type " + schema.get("type") + ", got " + value.getNodeType());
            return;
        }
        if (schema.has("enum") && !contains(schema.get("enum"), value)) {
            problems.add(where + ": " + value + " is not one of " + schema.get("enum"));
        }
        if (schema.has("pattern") && value.isTextual()
                && !Pattern.compile(schema.get("pattern").asText()).matcher(value.asText()).find()) {
            problems.add(where + ": " + value + " does not match " + schema.get("pattern").asText());
        }
        if (schema.has("minimum") && value.isNumber() && value.asDouble() < schema.get("minimum").asDouble()) {
            problems.add(where + ": " + value + " is below the minimum " + schema.get("minimum"));
        }
        if (value.isObject()) {
            checkObject(value, schema, where, problems);
        }
        if (value.isArray() && schema.has("items")) {
            for (int i = 0; i < value.size(); i++) {
                check(value.get(i), schema.get("items"), where + "[" + i + "]", problems);
            }
        }
    }

    private void checkObject(JsonNode value, JsonNode schema, String where, List<String> problems) {
        JsonNode properties = schema.path("properties");
        if (schema.has("required")) {
            schema.get("required").forEach(name -> {
                if (!value.has(name.asText())) {
                    problems.add(where + ": required member " + name.asText() + " missing");
                }
            });
        }
        Iterator<Map.Entry<String, JsonNode>> members = value.fields();
        while (members.hasNext()) {
            Map.Entry<String, JsonNode> member = members.next();
            String at = where + "." + member.getKey();
            if (properties.has(member.getKey())) {
                check(member.getValue(), properties.get(member.getKey()), at, problems);
            } else if (schema.has("additionalProperties")) {
                JsonNode additional = schema.get("additionalProperties");
                if (additional.isBoolean() && !additional.asBoolean()) {
                    problems.add(at + ": member not allowed");
                } else if (additional.isObject()) {
                    check(member.getValue(), additional, at, problems);
                }
            }
        }
    }

    private int count(JsonNode value, JsonNode alternatives) {
        int matching = 0;
        for (JsonNode alternative : alternatives) {
            if (valid(value, alternative)) {
                matching++;
            }
        }
        return matching;
    }

    private static boolean typeMatches(JsonNode value, JsonNode type) {
        if (type.isArray()) {
            for (JsonNode one : type) {
                if (typeMatches(value, one)) {
                    return true;
                }
            }
            return false;
        }
        return switch (type.asText()) {
            case "null" -> value.isNull();
            case "boolean" -> value.isBoolean();
            case "integer" -> value.isIntegralNumber();
            case "number" -> value.isNumber();
            case "string" -> value.isTextual();
            case "array" -> value.isArray();
            case "object" -> value.isObject();
            default -> false;
        };
    }

    private static boolean contains(JsonNode values, JsonNode value) {
        for (JsonNode candidate : values) {
            if (candidate.equals(value)) {
                return true;
            }
        }
        return false;
    }
}
