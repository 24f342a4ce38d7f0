package org.grouprelay.testing.mas;

import java.security.SecureRandom;
import java.time.Clock;

/**
 * ULIDs (https://github.com/ulid/spec) as MAS gives its resources: 48 bits of milliseconds and 80
 * random bits in Crockford base 32, 26 characters. Monotonic, so the ID order is the creation order,
 * as MAS's cursor paging (by ID) expects.
 */
final class Ulids {
    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();

    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private String last = "";

    Ulids(Clock clock) {
        this.clock = clock;
    }

    synchronized String next() {
        String candidate = encode(clock.millis(), random.nextLong() & 0xFFFFL, random.nextLong());
        last = candidate.compareTo(last) > 0 ? candidate : increment(last);
        return last;
    }

    private static String encode(long millis, long high16, long low64) {
        char[] out = new char[26];
        long time = millis;
        for (int i = 9; i >= 0; i--) {
            out[i] = ALPHABET[(int) (time & 31)];
            time >>>= 5;
        }
        // 80 random bits: 16 from high16, 64 from low64, written 5 bits at a time from the end
        long low = low64;
        long high = high16;
        for (int i = 25; i >= 10; i--) {
            out[i] = ALPHABET[(int) (low & 31)];
            low = (low >>> 5) | ((high & 31) << 59);
            high >>>= 5;
        }
        return new String(out);
    }

    private static String increment(String ulid) {
        char[] chars = ulid.toCharArray();
        for (int i = chars.length - 1; i >= 0; i--) {
            int value = new String(ALPHABET).indexOf(chars[i]);
            if (value < 31) {
                chars[i] = ALPHABET[value + 1];
                return new String(chars);
            }
            chars[i] = ALPHABET[0];
        }
        throw new IllegalStateException("ULID overflow");
    }
}
