package org.grouprelay.testing.graph;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.grouprelay.testing.graph.FakeGraph.User;

/**
 * The part of OData {@code $filter} on users the fake understands (docs: "List users", "Use the
 * $filter query parameter"): clauses joined by {@code or}, each one of
 * <ul>
 * <li>{@code mail eq 'x'}, {@code userPrincipalName eq 'x'}, {@code displayName eq 'x'}, {@code id eq 'x'}</li>
 * <li>{@code mail in ('x','y')} (also userPrincipalName, id)</li>
 * <li>{@code otherMails/any(m:m eq 'x')}</li>
 * </ul>
 * String literals are in single quotes, a quote inside one is doubled. Comparison ignores case, as
 * Entra ID does for these properties. Anything else is refused as Graph would (400).
 */
final class UserFilter {
    private static final char MARK = '\u0001';
    private static final Pattern EQ = Pattern.compile("(mail|userPrincipalName|displayName|id)\\s+eq\\s+" + MARK + "(\\d+)");
    private static final Pattern IN = Pattern.compile(
            "(mail|userPrincipalName|id)\\s+in\\s+\\(\\s*(" + MARK + "\\d+(?:\\s*,\\s*" + MARK + "\\d+)*)\\s*\\)");
    private static final Pattern ANY = Pattern.compile("otherMails/any\\(\\s*(\\w+)\\s*:\\s*\\1\\s+eq\\s+" + MARK + "(\\d+)\\s*\\)");
    private static final Pattern LITERAL_REF = Pattern.compile(MARK + "(\\d+)");

    private UserFilter() {
    }

    /** The users {@code filter} selects; IllegalArgumentException says why a filter is not understood. */
    static Predicate<User> parse(String filter) {
        List<String> literals = new ArrayList<>();
        String skeleton = extractLiterals(filter, literals);
        Predicate<User> result = user -> false;
        for (String clause : skeleton.split("\\s+or\\s+")) {
            result = result.or(clause(strip(clause.trim()), literals, filter));
        }
        return result;
    }

    private static Predicate<User> clause(String clause, List<String> literals, String filter) {
        Matcher eq = EQ.matcher(clause);
        if (eq.matches()) {
            String property = eq.group(1);
            String value = literals.get(Integer.parseInt(eq.group(2)));
            return user -> equal(property(user, property), value);
        }
        Matcher in = IN.matcher(clause);
        if (in.matches()) {
            String property = in.group(1);
            List<String> values = new ArrayList<>();
            Matcher ref = LITERAL_REF.matcher(in.group(2));
            while (ref.find()) {
                values.add(literals.get(Integer.parseInt(ref.group(1))));
            }
            return user -> values.stream().anyMatch(value -> equal(property(user, property), value));
        }
        Matcher any = ANY.matcher(clause);
        if (any.matches()) {
            String value = literals.get(Integer.parseInt(any.group(2)));
            return user -> user.otherMails().stream().anyMatch(mail -> equal(mail, value));
        }
        throw new IllegalArgumentException("Invalid filter clause: " + filter);
    }

    private static String strip(String clause) {
        String result = clause;
        while (result.startsWith("(") && result.endsWith(")") && !result.startsWith("otherMails")) {
            result = result.substring(1, result.length() - 1).trim();
        }
        return result;
    }

    /** Replaces each quoted literal by a mark and its index; doubled quotes inside become one. */
    private static String extractLiterals(String filter, List<String> literals) {
        StringBuilder skeleton = new StringBuilder();
        int i = 0;
        while (i < filter.length()) {
            char c = filter.charAt(i);
            if (c == MARK) {
                throw new IllegalArgumentException("Invalid filter clause: " + filter);
            }
            if (c != '\'') {
                skeleton.append(c);
                i++;
                continue;
            }
            StringBuilder literal = new StringBuilder();
            i++;
            while (true) {
                if (i >= filter.length()) {
                    throw new IllegalArgumentException("Unterminated string literal in filter: " + filter);
                }
                char d = filter.charAt(i);
                if (d == '\'' && i + 1 < filter.length() && filter.charAt(i + 1) == '\'') {
                    literal.append('\'');
                    i += 2;
                } else if (d == '\'') {
                    i++;
                    break;
                } else {
                    literal.append(d);
                    i++;
                }
            }
            skeleton.append(MARK).append(literals.size());
            literals.add(literal.toString());
        }
        return skeleton.toString();
    }

    private static String property(User user, String name) {
        return switch (name) {
            case "mail" -> user.mail();
            case "userPrincipalName" -> user.userPrincipalName();
            case "displayName" -> user.displayName();
            case "id" -> user.id();
            default -> throw new IllegalStateException(name);
        };
    }

    private static boolean equal(String actual, String expected) {
        return actual != null && actual.toLowerCase(Locale.ROOT).equals(expected.toLowerCase(Locale.ROOT));
    }
}
