package org.grouprelay.testing.graph;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * References to directory objects in {@code @odata.id} and {@code members@odata.bind}: documented as
 * {@code https://graph.microsoft.com/v1.0/directoryObjects/{id}} (docs "Add members"); the
 * {@code /users/{id}} form is accepted too. The fake's own base URL stands in for
 * graph.microsoft.com, for clients that build references from their configured Graph URL.
 */
final class BindUrls {
    private final Pattern pattern;

    BindUrls(String fakeBaseUrl) {
        this.pattern = Pattern.compile("(?:https://graph\\.microsoft\\.com|" + Pattern.quote(fakeBaseUrl)
                + ")/v1\\.0/(?:directoryObjects|users)/([0-9A-Za-z-]+)");
    }

    /** The object id a reference names, or empty when it is not of a documented form. */
    Optional<String> objectId(String reference) {
        if (reference == null) {
            return Optional.empty();
        }
        Matcher matcher = pattern.matcher(reference);
        return matcher.matches() ? Optional.of(matcher.group(1)) : Optional.empty();
    }
}
