package org.grouprelay.keycloak;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the follower remembers between polls and restarts: the time of the last applied admin event and
 * the events applied at exactly that time (Keycloak's {@code dateFrom} is inclusive), and every group it
 * knows, by Keycloak id, under the name it has in the directory. Immutable; each change returns a copy.
 */
public record FollowerState(long lastTime, Set<String> appliedAtLastTime, Map<String, KeycloakGroup> groups) {
    public FollowerState {
        appliedAtLastTime = Set.copyOf(appliedAtLastTime);
        groups = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(groups));
    }

    /** A first start: the realm's groups as they are now, and its newest events counted as applied. */
    static FollowerState initial(List<KeycloakGroup> groups, List<AdminEvent> newest) {
        Map<String, KeycloakGroup> byId = new LinkedHashMap<>();
        groups.forEach(g -> byId.put(g.id(), g));
        long time = newest.isEmpty() ? 0 : newest.get(0).time();
        Set<String> applied = new LinkedHashSet<>();
        newest.forEach(e -> applied.add(e.key()));
        return new FollowerState(time, applied, byId);
    }

    boolean isApplied(AdminEvent event) {
        return event.time() < lastTime || event.time() == lastTime && appliedAtLastTime.contains(event.key());
    }

    /** This state after {@code event}, with {@code groups} as the groups are now. */
    FollowerState after(AdminEvent event, Map<String, KeycloakGroup> now) {
        Set<String> applied = new LinkedHashSet<>();
        if (event.time() == lastTime) {
            applied.addAll(appliedAtLastTime);
        }
        applied.add(event.key());
        return new FollowerState(Math.max(event.time(), lastTime), applied, now);
    }

    /** {@code id} and all groups below it, parents before children. */
    List<KeycloakGroup> subtree(String id) {
        List<KeycloakGroup> out = new ArrayList<>();
        KeycloakGroup root = groups.get(id);
        if (root == null) {
            return out;
        }
        out.add(root);
        for (int i = 0; i < out.size(); i++) {
            String parent = out.get(i).id();
            groups.values().stream().filter(g -> parent.equals(g.parentId())).forEach(out::add);
        }
        return out;
    }
}
