package org.grouprelay.reliability;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * One case of the bad-input corpus ({@code src/test/resources/bad-input/*.yaml}): LDIF to apply
 * first, the LDIF change under test, who sends it, and what must come of it.
 *
 * @param setup LDIF applied as the admin before the case; must succeed
 * @param change the LDIF change record(s) under test; the last one is the one whose result is checked
 * @param bind {@code admin} or {@code keycloak}
 * @param result the expected LDAP result code of the last record (0 = success)
 * @param message words the diagnostic message must contain (case-insensitive), for a refusal
 * @param group a group (cn) whose Seafile members are asserted afterwards
 * @param members the expected Seafile members of {@code group} (uids); absent = no Seafile group at all
 * @param audit text an audit line written by this case must contain (a reported finding)
 * @param viaLdapmodify also send the change with OpenLDAP's ldapmodify (exit code = result code)
 */
record BadInputCase(String file, String name, String setup, String change, String bind, int result, List<String> message,
        Optional<String> group, Optional<List<String>> members, Optional<String> audit, boolean viaLdapmodify) {

    @Override
    public String toString() {
        return file + ": " + name;
    }

    /** Every case of every corpus file, in file order. */
    static Stream<BadInputCase> all() throws IOException, URISyntaxException {
        Path dir = Path.of(BadInputCase.class.getResource("/bad-input").toURI());
        List<BadInputCase> cases = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                cases.addAll(read(file));
            }
        }
        return cases.stream();
    }

    @SuppressWarnings("unchecked")
    static List<BadInputCase> read(Path file) throws IOException {
        Object document = new Load(LoadSettings.builder().setLabel(file.toString()).build()).loadFromString(Files.readString(file));
        List<BadInputCase> cases = new ArrayList<>();
        for (Object item : (List<Object>) document) {
            Map<String, Object> c = (Map<String, Object>) item;
            for (String key : c.keySet()) {
                if (!List.of("name", "setup", "change", "bind", "result", "message", "group", "members", "audit", "ldapmodify").contains(key)) {
                    throw new IllegalArgumentException(file + ": case '" + c.get("name") + "': unknown key " + key);
                }
            }
            Object message = c.getOrDefault("message", List.of());
            cases.add(new BadInputCase(file.getFileName().toString(), (String) c.get("name"),
                    expand((String) c.getOrDefault("setup", "")), expand((String) c.get("change")),
                    (String) c.getOrDefault("bind", "admin"), ((Number) c.get("result")).intValue(),
                    message instanceof String s ? List.of(s) : (List<String>) message,
                    Optional.ofNullable((String) c.get("group")).map(BadInputCase::expand), Optional.ofNullable((List<String>) c.get("members")),
                    Optional.ofNullable((String) c.get("audit")), Boolean.TRUE.equals(c.get("ldapmodify"))));
        }
        return cases;
    }

    /**
     * Generated parts, so huge inputs need not be stored: {@code {{repeat:TEXT:N}}} is TEXT N times;
     * {@code {{values:ATTR:PREFIX:SUFFIX:N}}} is N lines {@code ATTR: PREFIX<i>SUFFIX}; {@code {{binary:N}}}
     * is {@code :: } and the base64 of N non-UTF-8 bytes (for {@code attr{{binary:N}}}); {@code {{mods:ATTR:N}}} is N modifications
     * each adding one ATTR value; {@code {{group:CN:a,b,@sub}}}
     * is a groupOfNames entry as Keycloak adds it (placeholder first) with users a and b and the group sub.
     */
    static String expand(String text) {
        Matcher m = GENERATOR.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String[] parts = m.group(1).split(":", -1);
            String generated = switch (parts[0]) {
                case "repeat" -> parts[1].repeat(Integer.parseInt(parts[2]));
                case "values" -> values(parts[1], parts[2], parts[3], Integer.parseInt(parts[4]));
                case "binary" -> ":: " + Base64.getEncoder().encodeToString(binary(Integer.parseInt(parts[1])));
                case "mods" -> mods(parts[1], Integer.parseInt(parts[2]));
                case "group" -> group(parts[1], parts.length > 2 ? parts[2] : "");
                default -> throw new IllegalArgumentException("unknown generator " + m.group());
            };
            m.appendReplacement(out, Matcher.quoteReplacement(generated));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static final Pattern GENERATOR = Pattern.compile("\\{\\{([a-z]+:[^}]*)}}");

    private static String values(String attribute, String prefix, String suffix, int count) {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                lines.append('\n');
            }
            lines.append(attribute).append(": ").append(prefix).append(i).append(suffix);
        }
        return lines.toString();
    }

    private static String mods(String attribute, int count) {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < count; i++) {
            lines.append(i > 0 ? "\n-\n" : "").append("add: ").append(attribute).append('\n').append(attribute).append(": v").append(i);
        }
        return lines.toString();
    }

    private static String group(String cn, String members) {
        StringBuilder entry = new StringBuilder("dn: cn=" + cn + ",ou=groups,dc=example,dc=org\nobjectClass: groupOfNames\ncn: " + cn
                + "\nmember: cn=empty-membership-placeholder");
        for (String member : members.split(",")) {
            if (!member.isBlank()) {
                entry.append("\nmember: ").append(member.startsWith("@") ? "cn=" + member.substring(1) + ",ou=groups,dc=example,dc=org"
                        : "uid=" + member + ",ou=people,dc=example,dc=org");
            }
        }
        return entry.toString();
    }

    private static byte[] binary(int count) {
        byte[] bytes = new byte[count];
        for (int i = 0; i < count; i++) {
            bytes[i] = (byte) (0x80 | (i * 37 & 0x7f)); // never valid UTF-8 on their own
        }
        bytes[0] = (byte) 0xff;
        return bytes;
    }
}
