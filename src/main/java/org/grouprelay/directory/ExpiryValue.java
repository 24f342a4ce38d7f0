package org.grouprelay.directory;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code grouprelayMemberExpiry} value: {@code <GeneralizedTime> <member DN>}, e.g.
 * {@code 20270131000000Z uid=bob,ou=people,dc=example,dc=org}. The time is UTC ({@code Z}), to the second; a fraction
 * of a second is accepted and dropped.
 */
public record ExpiryValue(Instant end, String member) {
    private static final Pattern FORM = Pattern.compile("(\\d{14})(?:[.,]\\d{1,9})?Z +(\\S.*)");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuuMMddHHmmss").withResolverStyle(ResolverStyle.STRICT);

    public ExpiryValue {
        end = end.truncatedTo(ChronoUnit.SECONDS);
    }

    /** Reads {@code value}; a malformed one is an {@link IllegalArgumentException} saying why, in one line. */
    public static ExpiryValue parse(String value) {
        Matcher m = FORM.matcher(value.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + value + "' is not '<GeneralizedTime> <member DN>'; write e.g. '20270131000000Z "
                    + "uid=bob,ou=people,dc=example,dc=org' (UTC, to the second)");
        }
        try {
            return new ExpiryValue(LocalDateTime.parse(m.group(1), TIME).toInstant(ZoneOffset.UTC), m.group(2).strip());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + m.group(1) + "Z' is not a valid time (yyyyMMddHHmmssZ, UTC)");
        }
    }

    /** The GeneralizedTime form of {@code time}: {@code yyyyMMddHHmmssZ}, UTC. */
    public static String time(Instant time) {
        return TIME.format(LocalDateTime.ofInstant(time, ZoneOffset.UTC)) + "Z";
    }

    /** This value as the directory stores it. */
    @Override
    public String toString() {
        return time(end) + " " + member;
    }
}
