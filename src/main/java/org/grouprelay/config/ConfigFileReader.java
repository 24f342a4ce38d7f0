package org.grouprelay.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.regex.Pattern;

/**
 * Binds {@code grouprelay.yaml} to {@link ConfigFile} with Jackson's YAML format. Broken YAML, a duplicate key, an
 * unknown key, a list or section where a value belongs and a value where a section belongs all stop here, each as one
 * line naming the dotted key ({@link BindingErrors}).
 */
final class ConfigFileReader {
    /**
     * An unquoted {@code ${NAME}} standing as a whole value, e.g. {@code { password: ${SMTP_PASSWORD} }}. YAML itself (1.1
     * and 1.2 alike, so SnakeYAML under Jackson too) ends a plain scalar at a flow indicator inside {@code { }} or
     * {@code [ ]}: the value would be {@code $} followed by a nested mapping. Quoting such placeholders before parsing
     * keeps the documented form working; a whole-value placeholder means the same quoted or not, also outside braces.
     */
    private static final Pattern BARE_PLACEHOLDER = Pattern.compile(
            "(?<=[:\\-\\[,]\\s{1,20})(\\$\\{[A-Za-z_][A-Za-z0-9_]*})(?=\\s*(?:[,}\\]]|#|$))", Pattern.MULTILINE);

    private final ObjectMapper mapper;

    ConfigFileReader() {
        YAMLFactory yaml = YAMLFactory.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
                // `key:` with nothing after it is absent, as `key: ~` is (the builder's default differs from the factory's)
                .enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL)
                .build();
        this.mapper = YAMLMapper.builder(yaml)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .addModule(new SimpleModule("grouprelay-config").addDeserializer(String.class, new ScalarText()))
                .build();
    }

    /** Reads configuration text; {@code source} names it in error messages. */
    ConfigFile read(String yaml, String source) {
        try (JsonParser parser = mapper.createParser(BARE_PLACEHOLDER.matcher(yaml).replaceAll("\"$1\""))) {
            JsonToken first = parser.nextToken();
            if (first == null || first == JsonToken.VALUE_NULL) {
                throw new ConfigException(source + ": the configuration is empty; start from conf/grouprelay.yaml");
            }
            ConfigFile file = mapper.readValue(parser, ConfigFile.class);
            if (parser.nextToken() != null) {
                throw new ConfigException(source + ": not valid YAML at line " + parser.currentTokenLocation().getLineNr()
                        + ": expected a single document in the stream; remove the second one");
            }
            return file;
        } catch (JsonProcessingException e) {
            throw BindingErrors.describe(e, source);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // reading a String does no I/O
        }
    }

    /**
     * Every scalar as the text written in the file, whatever YAML would resolve it to ({@code True}, {@code 0x10},
     * {@code .inf}), so a port, a share or a boolean is checked, and quoted in errors, as written. An alias ({@code *name})
     * is refused: Jackson would read the anchor's name as the value.
     */
    private static final class ScalarText extends StdScalarDeserializer<String> {
        ScalarText() {
            super(String.class);
        }

        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p instanceof YAMLParser yaml && yaml.isCurrentAlias()) {
                return (String) ctxt.handleUnexpectedToken(String.class, p);
            }
            if (p.currentToken().isScalarValue() && p.currentToken() != JsonToken.VALUE_EMBEDDED_OBJECT) {
                return p.getText();
            }
            return StringDeserializer.instance.deserialize(p, ctxt); // a section or a list: refused, named by BindingErrors
        }
    }
}
