package org.grouprelay.transfer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads the content records of an LDIF file (RFC 2849) as they are, with the line each starts on, so
 * that a mistake is reported as "line N: what is wrong". Change records and values read from URLs are
 * refused: an import takes entries, as {@code slapcat}, {@code ldapsearch} and {@code db2ldif} write them.
 */
public final class LdifRecords {
    private static final Pattern ATTRIBUTE = Pattern.compile("([A-Za-z][A-Za-z0-9-]*|[0-9]+(\\.[0-9]+)*)(;[A-Za-z0-9-]+)*");

    /** One attribute value as written, with the line it came from. */
    public record Value(String attribute, byte[] bytes, int line) {
        public String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    /** One entry: its DN as written and its values in file order. */
    public record Record(String dn, int line, List<Value> values) {
        public Record {
            values = List.copyOf(values);
        }
    }

    private LdifRecords() {
    }

    /** Parses {@code text}; throws {@link LdifException} naming the first bad line. */
    public static List<Record> parse(String text) {
        List<Line> lines = unfold(text);
        List<Record> records = new ArrayList<>();
        List<Line> current = new ArrayList<>();
        for (Line line : lines) {
            if (line.text().isEmpty()) {
                flush(current, records);
            } else {
                current.add(line);
            }
        }
        flush(current, records);
        return records;
    }

    private record Line(String text, int number) {
    }

    /** Joins continuation lines (a leading space) and drops comments, keeping each logical line's first number. */
    private static List<Line> unfold(String text) {
        List<Line> lines = new ArrayList<>();
        String[] raw = text.split("\r?\n", -1);
        boolean inComment = false;
        for (int i = 0; i < raw.length; i++) {
            String line = raw[i];
            if (line.startsWith(" ")) {
                if (inComment) {
                    continue;
                }
                if (lines.isEmpty() || lines.get(lines.size() - 1).text().isEmpty()) {
                    throw new LdifException(i + 1, "a continuation line (starting with a space) follows no attribute");
                }
                Line last = lines.remove(lines.size() - 1);
                lines.add(new Line(last.text() + line.substring(1), last.number()));
                continue;
            }
            inComment = line.startsWith("#");
            if (!inComment) {
                lines.add(new Line(line.strip().isEmpty() ? "" : line, i + 1));
            }
        }
        return lines;
    }

    private static void flush(List<Line> lines, List<Record> records) {
        if (lines.isEmpty()) {
            return;
        }
        List<Line> body = new ArrayList<>(lines);
        lines.clear();
        if (records.isEmpty() && body.get(0).text().matches("version:\\s*1\\s*")) {
            body.remove(0);
            if (body.isEmpty()) {
                return;
            }
        }
        Value dn = value(body.get(0));
        if (!dn.attribute().equalsIgnoreCase("dn")) {
            throw new LdifException(dn.line(), "expected \"dn:\" to start an entry, found \"" + dn.attribute() + ":\"");
        }
        List<Value> values = new ArrayList<>();
        for (Line line : body.subList(1, body.size())) {
            Value value = value(line);
            if (value.attribute().equalsIgnoreCase("changetype")) {
                throw new LdifException(line.number(), "a change record (changetype: " + value.text()
                        + "); import takes entries, as slapcat, ldapsearch or grouprelay export write them");
            }
            if (value.attribute().equalsIgnoreCase("dn")) {
                throw new LdifException(line.number(), "a second \"dn:\" in one entry; separate entries with an empty line");
            }
            values.add(value);
        }
        if (values.isEmpty()) {
            throw new LdifException(dn.line(), "entry " + dn.text() + " has no attributes");
        }
        records.add(new Record(dn.text(), dn.line(), values));
    }

    private static Value value(Line line) {
        String text = line.text();
        int colon = text.indexOf(':');
        if (colon <= 0) {
            throw new LdifException(line.number(), "expected \"attribute: value\", found \"" + abbreviate(text) + "\"");
        }
        String name = text.substring(0, colon);
        if (!ATTRIBUTE.matcher(name).matches()) {
            throw new LdifException(line.number(), "\"" + abbreviate(name) + "\" is not an attribute name");
        }
        String rest = text.substring(colon + 1);
        byte[] bytes;
        if (rest.startsWith(":")) {
            try {
                bytes = Base64.getDecoder().decode(rest.substring(1).replaceAll("\\s", ""));
            } catch (IllegalArgumentException e) {
                throw new LdifException(line.number(), name + ":: is not valid base64 (" + e.getMessage() + ")");
            }
        } else if (rest.startsWith("<")) {
            throw new LdifException(line.number(), name + ":< reads a value from a URL; put the value in the file instead");
        } else {
            bytes = rest.stripLeading().getBytes(StandardCharsets.UTF_8);
        }
        String attribute = name.toLowerCase(java.util.Locale.ROOT).endsWith(";binary") ? name.substring(0, name.length() - 7) : name;
        return new Value(attribute, bytes, line.number());
    }

    private static String abbreviate(String text) {
        return text.length() > 60 ? text.substring(0, 57) + "..." : text;
    }

    /** A mistake in the file, at a line. */
    public static final class LdifException extends RuntimeException {
        private final int line;

        LdifException(int line, String message) {
            super("line " + line + ": " + message);
            this.line = line;
        }

        public int line() {
            return line;
        }
    }
}
