package org.grouprelay.targets.scim;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.grouprelay.change.GroupReader;
import org.grouprelay.config.ScimConfig;
import org.grouprelay.mapping.Accounts;
import org.grouprelay.targets.Snapshot;
import org.grouprelay.targets.Target;
import org.grouprelay.targets.TargetException;
import org.grouprelay.targets.http.JsonHttp;
import org.grouprelay.targets.http.HttpClients;

/**
 * A SCIM 2.0 application (RFC 7643/7644) as a {@link Target}: groups created with {@code displayName} = the group's
 * name and {@code externalId} = its entryUUID, linked by entryUUID in {@code scim-links.json}; members as SCIM users,
 * provisioned when first needed ({@link ScimAccounts}); requests shaped for strict servers ({@link ScimSession}). What
 * the server supports (PATCH, bulk limits, ETags) is read from its {@code /ServiceProviderConfig} before the first change.
 */
public final class ScimTarget implements Target {
    private final String name;
    private final ScimConfig config;
    private final ScimHttp http;
    private final ScimLinks links;
    private final ScimAccounts accounts;
    private final Map<String, String> etags = new ConcurrentHashMap<>();
    private volatile ServiceProvider provider;
    private volatile GroupReader directory;

    /** {@code name}: the target's name (errors name its keys, {@code targets.<name>.url}); links go to {@code stateDir}. */
    public ScimTarget(String name, ScimConfig config, Path stateDir) {
        this.name = name;
        this.config = config;
        this.http = new ScimHttp(HttpClients.create(config.timeout(), config.caFile()), config.url(), config.token().value(),
                "targets." + name);
        this.links = new ScimLinks(stateDir.resolve(ScimLinks.FILE));
        this.accounts = new ScimAccounts(http, config.userName());
    }

    @Override
    public Accounts accounts() {
        return accounts;
    }

    /** Reads {@code /ServiceProviderConfig}: proves URL and token, and learns PATCH, bulk limits and ETags. */
    @Override
    public void prepare() throws TargetException {
        provider();
    }

    private ServiceProvider provider() throws TargetException {
        ServiceProvider known = provider;
        if (known != null) {
            return known;
        }
        String what = "read the ServiceProviderConfig of " + http.base();
        JsonHttp.Answer answer = http.get("ServiceProviderConfig", Map.of(), what);
        if (answer.status() == 404) {
            answer = http.get("ServiceProviderConfigs", Map.of(), what); // some servers (Salesforce) use the plural
        }
        if (answer.status() == 404) {
            throw new TargetException(what + ": HTTP 404; check targets." + name + ".url (the SCIM base address, ending in /scim/v2 or"
                    + " wherever the application serves /Users and /Groups)", false, null);
        }
        if (!answer.ok()) {
            throw http.refused(answer, what);
        }
        int max = config.compatibility() == ScimConfig.Compatibility.AWS ? Math.min(100, config.maxOperations()) : config.maxOperations();
        known = ServiceProvider.of(answer.body(), max);
        provider = known;
        return known;
    }

    @Override
    public void probe() throws TargetException {
        String what = "read the ServiceProviderConfig of " + http.base();
        JsonHttp.Answer answer = http.get("ServiceProviderConfig", Map.of(), what);
        if (!answer.ok() && answer.status() != 404) {
            throw http.refused(answer, what);
        }
    }

    @Override
    public void attach(GroupReader reader) {
        this.directory = reader;
    }

    /**
     * Every link and its group as the server has it now. With {@code compatibility: aws} the server does not return
     * members: those groups' members are not compared.
     */
    @Override
    public Snapshot snapshot() throws TargetException {
        Map<String, Snapshot.Linked> out = new HashMap<>();
        Map<String, Set<String>> members = new HashMap<>();
        Set<String> unread = new LinkedHashSet<>();
        for (ScimLinks.Link link : links.all().values()) {
            String what = "read SCIM group " + link.id();
            JsonHttp.Answer answer = http.get("Groups/" + link.id(), Map.of(), what);
            if (answer.status() == 404) {
                out.put(link.uuid(), new Snapshot.Linked(link.uuid(), link.id(), Optional.empty(), Optional.empty()));
                continue;
            }
            if (!answer.ok()) {
                throw http.refused(answer, what);
            }
            out.put(link.uuid(), new Snapshot.Linked(link.uuid(), link.id(), Optional.of(answer.body().path("displayName").asText()),
                    Optional.empty()));
            if (config.compatibility() == ScimConfig.Compatibility.AWS) {
                unread.add(link.id());
            }
            members.put(link.id(), memberIds(answer.body()));
        }
        return new Snapshot(out, members, unread);
    }

    /** The {@code value}s of a group's {@code members} (SCIM ids, compared as the server wrote them). */
    static Set<String> memberIds(JsonNode group) {
        Set<String> ids = new LinkedHashSet<>();
        for (JsonNode member : group.path("members")) {
            ids.add(member.path("value").asText());
        }
        return ids;
    }

    @Override
    public Target.Session begin() {
        ServiceProvider known = provider;
        if (known == null) {
            try {
                known = provider();
            } catch (TargetException e) {
                return new FailedSession(e);
            }
        }
        return new ScimSession(http, links, accounts, known, config, etags, Optional.ofNullable(directory));
    }

    @Override
    public String describe() {
        return "SCIM " + http.base();
    }

    /** Requests sent so far. */
    public long requestsSent() {
        return http.requests();
    }

    @Override
    public void close() {
        http.close();
    }
}
