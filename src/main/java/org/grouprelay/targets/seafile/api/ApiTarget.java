package org.grouprelay.targets.seafile.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import okhttp3.HttpUrl;
import java.util.List;
import org.grouprelay.mapping.Accounts;
import org.grouprelay.targets.http.HttpClients;
import org.grouprelay.mapping.MappingRule;
import org.grouprelay.mapping.UserLookup;
import org.grouprelay.mapping.UserMapper;
import org.grouprelay.targets.Snapshot;
import org.grouprelay.targets.Target;
import org.grouprelay.targets.TargetException;

/**
 * Seafile's admin API v2.1 as a {@link Target}: the same behaviour as the SQL target, through HTTP.
 * One shared OkHttp client, rate-limited; the links live in a local {@link LinkFile}; users are
 * mapped from an index of Seafile's accounts ({@link ApiUserLookup}). A relayed member change costs
 * one request once the group has been seen.
 */
public final class ApiTarget implements Target {
    private final SeafileHttp http;
    private final GroupApi groups;
    private final ApiUserLookup users;
    private final UserMapper accounts;
    private final LinkFile links;
    private final String creator;
    private final boolean adopt;

    public ApiTarget(ApiSettings settings, String groupCreator, boolean adopt, Clock clock) {
        this(settings, groupCreator, adopt, List.of(MappingRule.DEFAULT), clock);
    }

    /** {@code rules}: the user-mapping chain ({@code seafile.users}). */
    public ApiTarget(ApiSettings settings, String groupCreator, boolean adopt, List<MappingRule> rules, Clock clock) {
        HttpUrl base = HttpUrl.get(settings.url() + "/");
        this.http = new SeafileHttp(HttpClients.create(settings.timeout(), settings.caFile()), base, new RateLimiter(settings.maxRequestsPerSecond()),
                new Tokens(settings.token(), settings.username(), settings.password(), base), settings.timeout());
        this.groups = new GroupApi(http);
        this.users = new ApiUserLookup(http, clock);
        this.accounts = new UserMapper(rules, users);
        this.links = new LinkFile(settings.linkFile());
        this.creator = groupCreator.toLowerCase(Locale.ROOT);
        this.adopt = adopt;
    }

    /** Batch lookups in Seafile's account index. */
    public UserLookup users() {
        return users;
    }

    @Override
    public Accounts accounts() {
        return accounts;
    }

    /**
     * The links, every group (paged listing), then the members of each linked group that exists. A
     * Seafile group that still has the name grouprelay gave it is reported under the directory name
     * it came from, so a sanitised name is not drift.
     */
    @Override
    public Snapshot snapshot() throws TargetException {
        Map<String, LinkFile.Link> linked = links.all();
        Map<Long, JsonNode> all = groups.all();
        Map<String, Snapshot.Linked> out = new HashMap<>();
        Map<String, Set<String>> members = new HashMap<>();
        for (LinkFile.Link link : linked.values()) {
            if (!link.settled()) {
                continue; // a create whose answer was lost: not linked yet (the next attempt or a repair settles it)
            }
            JsonNode group = all.get(link.groupId());
            // listed newest first with offsets: a group created meanwhile can push one past a page; ask it directly
            Optional<Set<String>> rows = groups.members(link.groupId());
            if (rows.isEmpty()) {
                out.put(link.uuid(), new Snapshot.Linked(link.uuid(), String.valueOf(link.groupId()), Optional.empty(), Optional.empty()));
                continue;
            }
            members.put(String.valueOf(link.groupId()), rows.get());
            String name = group == null ? link.seafileName() : group.path("name").asText();
            Optional<String> owner = group == null ? Optional.empty()
                    : Optional.of(group.path("owner").asText().toLowerCase(Locale.ROOT)).filter(o -> !o.isEmpty());
            out.put(link.uuid(), new Snapshot.Linked(link.uuid(), String.valueOf(link.groupId()),
                    Optional.of(name.equals(link.seafileName()) ? link.directoryName() : name), owner));
        }
        return new Snapshot(out, members);
    }

    /**
     * Asks Seafile for its account count: proves the URL, the credentials and the admin rights at start;
     * then reads the account index in the background.
     * A permanent failure (e.g. 404 from a wrong base URL) names {@code seafile.api.url}.
     */
    @Override
    public void prepare() throws TargetException {
        probe();
    }

    /** One request that proves URL and credentials, and reads the account index. */
    @Override
    public void probe() throws TargetException {
        try {
            users.accountsWatermark();
            // read the account index now rather than while the first LDAP client waits
            Thread warm = new Thread(users::warm, "grouprelay-api-accounts");
            warm.setDaemon(true);
            warm.start();
        } catch (TargetException e) {
            if (e.isTransient()) {
                throw e;
            }
            throw new TargetException(e.getMessage() + "; check seafile.api.url (Seafile's base address, e.g. https://seafile.example.org)"
                    + " and that the token belongs to a Seafile admin", false, e);
        }
    }

    @Override
    public Target.Session begin() {
        return new ApiSession(groups, links, creator, adopt);
    }

    @Override
    public String describe() {
        return "Seafile admin API " + http.base();
    }

    /** Requests sent so far, retries included. */
    public long requestsSent() {
        return http.requests();
    }

    @Override
    public void close() {
        http.close();
    }
}
