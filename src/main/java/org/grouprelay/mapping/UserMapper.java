package org.grouprelay.mapping;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.grouprelay.change.UserRef;

/**
 * Maps directory users to Seafile user ids with the configured chain: each rule looks up all users
 * still unmapped in one batch; first hit wins; only ids of existing accounts count. Users left
 * unmapped have no Seafile account yet (pending).
 */
public final class UserMapper implements Accounts {
    private final List<MappingRule> rules;
    private final UserLookup lookup;

    public UserMapper(List<MappingRule> rules, UserLookup lookup) {
        this.rules = List.copyOf(rules);
        this.lookup = lookup;
    }

    @Override
    public Map<UserRef, String> find(List<UserRef> users) throws Exception {
        Map<UserRef, String> resolved = new HashMap<>();
        for (MappingRule rule : rules) {
            Map<String, List<UserRef>> byKey = new HashMap<>();
            for (UserRef user : users) {
                if (!resolved.containsKey(user)) {
                    rule.strategy().key(user, rule).ifPresent(k -> byKey.computeIfAbsent(k, x -> new java.util.ArrayList<>()).add(user));
                }
            }
            if (byKey.isEmpty()) {
                continue;
            }
            Map<String, String> found = caseInsensitive(lookup.find(rule, byKey.keySet()));
            // an e-mail lookup is itself the existence check: asking again would be a second query per change
            Set<String> existing = rule.strategy() == Strategy.EMAIL ? new HashSet<>(found.values())
                    : lookup.existing(new HashSet<>(found.values()));
            for (Map.Entry<String, List<UserRef>> entry : byKey.entrySet()) {
                Optional.ofNullable(found.get(entry.getKey().toLowerCase(Locale.ROOT)))
                        .filter(existing::contains)
                        .ifPresent(id -> entry.getValue().forEach(u -> resolved.put(u, id)));
            }
        }
        return resolved;
    }

    /** Seafile's tables compare case-insensitively (utf8 collations); so does the match here. */
    private static Map<String, String> caseInsensitive(Map<String, String> found) {
        Map<String, String> folded = new HashMap<>();
        found.forEach((k, v) -> folded.put(k.toLowerCase(Locale.ROOT), v.toLowerCase(Locale.ROOT)));
        return folded;
    }

    public UserLookup lookup() {
        return lookup;
    }

    @Override
    public long watermark() throws Exception {
        return lookup.accountsWatermark();
    }

    @Override
    public String describe() {
        return rules.toString();
    }

    @Override
    public List<String> attributes() {
        return rules.stream().map(r -> r.attribute().toLowerCase(Locale.ROOT)).distinct().toList();
    }

    public List<MappingRule> rules() {
        return rules;
    }
}
