package org.grouprelay.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/** Jackson's and SnakeYAML's exceptions as one line that names the file or the dotted key and the fix. */
final class BindingErrors {
    private BindingErrors() {
    }

    static ConfigException describe(JsonProcessingException e, String source) {
        Optional<MarkedYAMLException> yaml = cause(e, MarkedYAMLException.class);
        if (yaml.isPresent()) {
            Mark mark = yaml.get().getProblemMark();
            String where = mark == null ? "" : " at line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1);
            return new ConfigException(source + ": not valid YAML" + where + ": " + firstLine(yaml.get().getProblem()));
        }
        Optional<StreamReadException> syntax = cause(e, StreamReadException.class);
        if (syntax.isPresent()) {
            JsonLocation at = syntax.get().getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            // STRICT_DUPLICATE_DETECTION's wording, in YAML's words
            String problem = firstLine(syntax.get().getOriginalMessage()).replace("Duplicate field", "duplicate key");
            return new ConfigException(source + ": not valid YAML" + where + ": " + problem);
        }
        if (e instanceof JsonMappingException mapping) {
            return mismatch(mapping, source);
        }
        return new ConfigException(source + ": not valid YAML: " + firstLine(e.getOriginalMessage()));
    }

    private static <T extends Throwable> Optional<T> cause(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return Optional.of(type.cast(t));
            }
        }
        return Optional.empty();
    }

    private static ConfigException mismatch(JsonMappingException e, String source) {
        List<JsonMappingException.Reference> path = e.getPath();
        String key = dotted(path);
        if (e instanceof InvalidTypeIdException kind) {
            // a targets entry: its kind picks the keys it takes
            String id = kind.getTypeId();
            return new ConfigException(key + ".kind: " + (id == null || id.isBlank() ? "missing" : "'" + id + "' is not a target kind")
                    + "; write kind: seafile, scim, entra or matrix-mas");
        }
        if (e instanceof UnrecognizedPropertyException unknown) {
            String section = dotted(path.subList(0, path.size() - 1));
            TreeSet<String> accepted = new TreeSet<>();
            unknown.getKnownPropertyIds().forEach(id -> accepted.add(String.valueOf(id)));
            String name = path.isEmpty() ? "" : path.get(path.size() - 1).getFieldName();
            String dn = name != null && name.contains("=")
                    ? " (a DN inside { } or [ ] is cut at its commas: put it in quotes, \"ou=people,dc=example,dc=org\")" : "";
            return new ConfigException(key + ": unknown key; " + (section.isEmpty() ? "top-level" : section) + " accepts "
                    + String.join(", ", accepted) + dn);
        }
        JsonParser parser = e.getProcessor() instanceof JsonParser p ? p : null;
        if (parser instanceof YAMLParser yaml && yaml.isCurrentAlias()) {
            return new ConfigException(named(key, source) + ": aliases (*name) are not supported here; write the value out");
        }
        Class<?> target = e instanceof MismatchedInputException m ? m.getTargetType() : null;
        JsonToken token = parser == null ? null : parser.currentToken();
        if (target == String.class) {
            if (!path.isEmpty() && path.get(path.size() - 1).getFieldName() == null) {
                return new ConfigException(dotted(path.subList(0, path.size() - 1)) + ": expected a list of values");
            }
            return new ConfigException(key + ": expected a single value, found a " + (token == JsonToken.START_ARRAY ? "list" : "section"));
        }
        if (target != null && Collection.class.isAssignableFrom(target)) {
            return new ConfigException(key + ": expected a list (items starting with '- ')");
        }
        if (target != null && target.isRecord()) {
            return new ConfigException((key.isEmpty() ? "the configuration" : key) + ": expected a section of key: value pairs, found "
                    + found(token, parser));
        }
        return new ConfigException(named(key, source) + ": cannot be read; see conf/grouprelay.yaml for the form it takes");
    }

    /** {@code directory.ldap.port}, {@code seafile.users[0].strategy}. */
    private static String dotted(List<JsonMappingException.Reference> path) {
        StringBuilder key = new StringBuilder();
        for (JsonMappingException.Reference ref : path) {
            if (ref.getFieldName() != null) {
                key.append(key.isEmpty() ? "" : ".").append(ref.getFieldName());
            } else {
                key.append('[').append(ref.getIndex()).append(']');
            }
        }
        return key.toString();
    }

    private static String named(String key, String source) {
        return key.isEmpty() ? source : key;
    }

    private static String found(JsonToken token, JsonParser parser) {
        if (token == JsonToken.START_ARRAY) {
            return "a list";
        }
        try {
            return parser == null ? "a single value" : "'" + parser.getText() + "'";
        } catch (IOException e) {
            return "a single value";
        }
    }

    private static String firstLine(String text) {
        return text == null ? "" : text.lines().findFirst().orElse("").strip();
    }
}
