package org.grouprelay.targets.scim;

/** Values in SCIM filters (RFC 7644 §3.4.2.2) are JSON strings. */
final class ScimFilter {
    private ScimFilter() {
    }

    /** {@code value} as a quoted JSON string: {@code "a\"b"}. */
    static String quote(String value) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
