package org.grouprelay.targets.mas;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.grouprelay.change.GroupReader;
import org.grouprelay.change.GroupRef;
import org.grouprelay.config.MasConfig;
import org.grouprelay.mapping.Accounts;
import org.grouprelay.targets.Snapshot;
import org.grouprelay.targets.Target;
import org.grouprelay.targets.TargetException;
import org.grouprelay.targets.http.JsonHttp;
import org.grouprelay.targets.http.HttpClients;

/**
 * Matrix Authentication Service as a {@link Target}: membership in one directory group ({@code group}) switches the members'
 * Matrix accounts on and off ({@link MasSession} has the table). Only that group is relayed. MAS accounts of no directory
 * user (bots, admins) are never touched.
 */
public final class MasTarget implements Target {
    private static final int PAGE = 100;

    private final String name;
    private final MasConfig config;
    private final MasHttp http;
    private final MasAccounts accounts;
    private volatile GroupReader directory;

    public MasTarget(String name, MasConfig config, Clock clock) {
        this.name = name;
        this.config = config;
        this.http = new MasHttp(HttpClients.create(config.timeout(), config.caFile()), config, "targets." + name, clock);
        this.accounts = new MasAccounts(http, config.localpart());
    }

    @Override
    public boolean relays(GroupRef group) {
        return group.name().equalsIgnoreCase(config.group());
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
        return config.group();
    }

    @Override
    public Accounts accounts() {
        return accounts;
    }

    @Override
    public void attach(GroupReader reader) {
        this.directory = reader;
    }

    /** A token (client, secret, admin scope) and one admin call (the admin API is served). */
    @Override
    public void prepare() throws TargetException {
        probe();
    }

    @Override
    public void probe() throws TargetException {
        JsonHttp.Answer answer = http.get("users", Map.of("page[first]", "1", "count", "false"), "list Matrix accounts");
        if (answer.status() == 404) {
            throw new TargetException("list Matrix accounts: HTTP 404; check targets." + name + ".url (MAS's base address) and that the"
                    + " admin API is enabled on a listener", false, null);
        }
        if (!answer.ok()) {
            throw new TargetException("list Matrix accounts: HTTP " + answer.status() + " " + MasHttp.message(answer), false, null);
        }
    }

    /**
     * The group as MAS shows it: every active account (paged). The check compares it with the group's members and the
     * directory's users; accounts of no directory user are listed as not managed and never touched.
     */
    @Override
    public Snapshot snapshot() throws TargetException {
        String key = config.group().toLowerCase(Locale.ROOT);
        Map<String, Snapshot.Linked> links = Map.of(key, new Snapshot.Linked(key, config.group(), Optional.of(config.group()), Optional.empty()));
        Map<String, Set<String>> members = new HashMap<>();
        members.put(config.group(), accounts("active").keySet());
        return new Snapshot(links, members);
    }

    /** Active accounts whose username is a directory user's localpart (needs the running directory). */
    Set<String> activeDirectoryAccounts() throws TargetException {
        GroupReader reader = directory;
        if (reader == null) {
            throw new TargetException("MAS accounts can be compared only inside serve (the check does it beside serve)", false, null);
        }
        Set<String> users;
        try {
            users = reader.userValues(config.localpart());
        } catch (Exception e) {
            throw new TargetException("read the directory's users: " + e.getMessage(), true, e);
        }
        Set<String> active = new LinkedHashSet<>(accounts("active").keySet());
        active.retainAll(users);
        return active;
    }

    /** Accounts with {@code status} (active, locked, deactivated), by username, following MAS's cursor paging. */
    private Map<String, MasAccounts.Account> accounts(String status) throws TargetException {
        Map<String, MasAccounts.Account> all = new LinkedHashMap<>();
        String after = null;
        while (true) {
            Map<String, String> query = new LinkedHashMap<>();
            query.put("filter[status]", status);
            query.put("page[first]", String.valueOf(PAGE));
            query.put("count", "false");
            if (after != null) {
                query.put("page[after]", after);
            }
            JsonHttp.Answer page = http.get("users", query, "list " + status + " Matrix accounts");
            if (!page.ok()) {
                throw new TargetException("list " + status + " Matrix accounts: HTTP " + page.status() + " " + MasHttp.message(page), false, null);
            }
            JsonNode data = page.body().path("data");
            for (JsonNode user : data) {
                MasAccounts.Account account = MasAccounts.Account.of(user);
                all.put(account.username().toLowerCase(Locale.ROOT), account);
            }
            if (data.size() < PAGE || page.body().path("links").path("next").isMissingNode()) {
                return all;
            }
            JsonNode last = data.get(data.size() - 1);
            after = last.path("meta").path("page").path("cursor").asText(last.path("id").asText());
        }
    }

    @Override
    public Target.Session begin() {
        return new MasSession(http, accounts, this, config);
    }

    @Override
    public String describe() {
        return "Matrix Authentication Service " + config.url();
    }

    /** Requests sent so far (token requests included). */
    public long requestsSent() {
        return http.requests();
    }

    @Override
    public void close() {
        http.close();
    }
}
