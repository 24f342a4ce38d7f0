package org.grouprelay.targets.entra;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.grouprelay.change.GroupRef;
import org.grouprelay.config.EntraConfig;
import org.grouprelay.mapping.Accounts;
import org.grouprelay.targets.Snapshot;
import org.grouprelay.targets.Target;
import org.grouprelay.targets.TargetException;
import org.grouprelay.targets.http.JsonHttp;
import org.grouprelay.targets.http.HttpClients;

/**
 * Microsoft Entra ID as a {@link Target}: the members of each mapped Entra group follow its directory group (by name), through
 * Microsoft Graph. Groups are mapped, never created or deleted; users are matched by the directory's {@code users.match}
 * attribute ({@link EntraAccounts}).
 */
public final class EntraTarget implements Target {
    private final String name;
    private final EntraConfig config;
    private final GraphHttp http;
    private final EntraAccounts accounts;
    /** Lower-cased directory group name → its mapping. */
    private final Map<String, EntraConfig.GroupMapping> mapping = new HashMap<>();

    public EntraTarget(String name, EntraConfig config, Clock clock) {
        this.name = name;
        this.config = config;
        this.http = new GraphHttp(HttpClients.create(config.timeout(), java.util.Optional.empty()), config, "targets." + name, clock);
        this.accounts = new EntraAccounts(http, config);
        config.groups().forEach(g -> mapping.put(g.directory().toLowerCase(Locale.ROOT), g));
    }

    String keyPrefix() {
        return "targets." + name;
    }

    Optional<String> mapped(GroupRef group) {
        return Optional.ofNullable(mapping.get(group.name().toLowerCase(Locale.ROOT))).map(EntraConfig.GroupMapping::entra);
    }

    /** The user ids remembered may be stale (a user deleted in Entra): look them up again. */
    void forgetUsers() {
        accounts.forgetAll();
    }

    @Override
    public boolean relays(GroupRef group) {
        return mapped(group).isPresent();
    }

    @Override
    public boolean ownsGroups() {
        return false;
    }

    @Override
    public String linkKey(GroupRef group) {
        return group.name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String groupName(GroupRef group) {
        EntraConfig.GroupMapping mapped = mapping.get(group.name().toLowerCase(Locale.ROOT));
        return mapped == null ? group.name() : mapped.directory();
    }

    @Override
    public Accounts accounts() {
        return accounts;
    }

    /** A token (tenant, client and secret right) and every mapped group readable (it exists, and the permissions are there). */
    @Override
    public void prepare() throws TargetException {
        for (EntraConfig.GroupMapping group : config.groups()) {
            JsonHttp.Answer answer = http.get("groups/" + group.entra() + "?$select=id,displayName", "read Entra group " + group.entra());
            if (answer.status() == 404) {
                throw new TargetException("Entra group " + group.entra() + " (mapped from " + group.directory() + ") does not exist; check "
                        + keyPrefix() + ".groups", false, null);
            }
            if (!answer.ok()) {
                throw new TargetException("read Entra group " + group.entra() + ": HTTP " + answer.status() + " " + GraphHttp.message(answer), false, null);
            }
        }
    }

    @Override
    public void probe() throws TargetException {
        EntraConfig.GroupMapping first = config.groups().get(0);
        JsonHttp.Answer answer = http.get("groups/" + first.entra() + "?$select=id", "read Entra group " + first.entra());
        if (!answer.ok()) {
            throw new TargetException("read Entra group " + first.entra() + ": HTTP " + answer.status() + " " + GraphHttp.message(answer), false, null);
        }
    }

    /** Every mapped group's members, paged ({@code @odata.nextLink}). */
    @Override
    public Snapshot snapshot() throws TargetException {
        Map<String, Snapshot.Linked> links = new HashMap<>();
        Map<String, Set<String>> members = new HashMap<>();
        for (EntraConfig.GroupMapping group : config.groups()) {
            String key = group.directory().toLowerCase(Locale.ROOT);
            try {
                members.put(group.entra(), members(group.entra()));
                links.put(key, new Snapshot.Linked(key, group.entra(), Optional.of(group.directory()), Optional.empty()));
            } catch (TargetException e) {
                if (e.isTransient()) {
                    throw e;
                }
                links.put(key, new Snapshot.Linked(key, group.entra(), Optional.empty(), Optional.empty()));
            }
        }
        return new Snapshot(links, members);
    }

    Set<String> members(String groupId) throws TargetException {
        Set<String> ids = new LinkedHashSet<>();
        String what = "list the members of Entra group " + groupId;
        JsonHttp.Answer page = http.get("groups/" + groupId + "/members/microsoft.graph.user?$select=id&$top=999", what);
        while (true) {
            if (page.status() == 404) {
                throw new TargetException(what + ": the Entra group does not exist", false, null);
            }
            if (!page.ok()) {
                throw new TargetException(what + ": HTTP " + page.status() + " " + GraphHttp.message(page), false, null);
            }
            for (JsonNode member : page.body().path("value")) {
                ids.add(member.path("id").asText());
            }
            String next = page.body().path("@odata.nextLink").asText("");
            if (next.isEmpty()) {
                return ids;
            }
            page = http.next(next, what);
        }
    }

    @Override
    public Target.Session begin() {
        return new EntraSession(http, this);
    }

    @Override
    public String describe() {
        return "Entra tenant " + config.tenantId() + " via " + config.graphUrl();
    }

    /** Graph requests sent so far (token requests included). */
    public long requestsSent() {
        return http.requests();
    }

    @Override
    public void close() {
        http.close();
    }
}
