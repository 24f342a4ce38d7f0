package org.grouprelay.targets.seafile.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.grouprelay.mapping.MappingRule;
import org.grouprelay.mapping.UserLookup;
import org.grouprelay.targets.TargetException;

/**
 * User mapping through the admin API. The API has no batch lookup by e-mail, contact e-mail or SSO
 * uid, so all accounts are read page by page ({@code GET /admin/users/}, database and LDAP-imported
 * accounts; each item carries {@code email}, {@code contact_email} and {@code social_auth}) into an
 * in-memory index, and lookups are answered from it: no request per relayed change. The index is read
 * again when the account count changed (the pending-member poll asks for it), when a key is missing
 * and the index is older than {@link #MISS_REFRESH}, and at the latest after {@link #MAX_AGE}.
 */
final class ApiUserLookup implements UserLookup {
    static final Duration MISS_REFRESH = Duration.ofSeconds(10);
    static final Duration MAX_AGE = Duration.ofMinutes(5);
    private static final int PAGE = 100;

    /** The index: lower-cased keys → Seafile id as Seafile spells it. */
    private record Accounts(Map<String, String> ids, Map<String, String> contacts, Map<String, String> social, long total, Instant readAt) {
    }

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ApiUserLookup.class);

    private final SeafileHttp http;
    private final Clock clock;
    private Accounts accounts;
    private boolean stale = true;

    ApiUserLookup(SeafileHttp http, Clock clock) {
        this.http = http;
        this.clock = clock;
    }

    @Override
    public synchronized Map<String, String> find(MappingRule rule, Set<String> keys) throws TargetException {
        Map<String, String> found = resolve(current(), rule, keys);
        if (found.size() < keys.size() && age().compareTo(MISS_REFRESH) >= 0) {
            found = resolve(reload(), rule, keys);
        }
        return found;
    }

    @Override
    public synchronized Set<String> existing(Set<String> ids) throws TargetException {
        Set<String> found = present(current(), ids);
        if (found.size() < ids.size() && age().compareTo(MISS_REFRESH) >= 0) {
            found = present(reload(), ids);
        }
        return found;
    }

    /** Reads the index if it is not current; a failure is left for the first lookup to report. */
    synchronized void warm() {
        try {
            current();
        } catch (TargetException e) {
            log.debug("reading Seafile's accounts: {}", e.getMessage());
        }
    }

    /** The number of accounts (one small request); a change marks the index for reading again. */
    @Override
    public synchronized long accountsWatermark() throws TargetException {
        long total = count("db") + count("ldapimport");
        if (accounts == null || total != accounts.total()) {
            stale = true;
        }
        return total;
    }

    private static Map<String, String> resolve(Accounts index, MappingRule rule, Set<String> keys) {
        Map<String, String> by = switch (rule.strategy()) {
            case EMAIL -> index.ids();
            case CONTACT_EMAIL -> index.contacts();
            case SOCIAL_AUTH -> null;
        };
        Map<String, String> found = new HashMap<>();
        for (String key : keys) {
            String lower = key.toLowerCase(Locale.ROOT);
            String id = by != null ? by.get(lower) : index.social().get(rule.provider() + "\n" + lower);
            if (id != null) {
                found.put(key, id);
            }
        }
        return found;
    }

    private static Set<String> present(Accounts index, Set<String> ids) {
        Set<String> found = new HashSet<>();
        for (String id : ids) {
            String known = index.ids().get(id.toLowerCase(Locale.ROOT));
            if (known != null) {
                found.add(known.toLowerCase(Locale.ROOT));
            }
        }
        return found;
    }

    private Accounts current() throws TargetException {
        if (accounts == null || stale || age().compareTo(MAX_AGE) >= 0) {
            return reload();
        }
        return accounts;
    }

    private Duration age() {
        return accounts == null ? MAX_AGE : Duration.between(accounts.readAt(), clock.instant());
    }

    private Accounts reload() throws TargetException {
        Map<String, String> ids = new HashMap<>();
        Map<String, String> contacts = new HashMap<>();
        Map<String, String> social = new HashMap<>();
        long total = 0;
        for (String source : new String[] {"db", "ldapimport"}) {
            for (int page = 1; ; page++) {
                SeafileHttp.Reply reply = http.get("read Seafile's accounts", http.admin("users").addQueryParameter("source", source)
                        .addQueryParameter("page", String.valueOf(page)).addQueryParameter("per_page", String.valueOf(PAGE)).build());
                if (!reply.ok() && source.equals("ldapimport")) {
                    break; // no LDAP import on this Seafile
                }
                reply.orFail("read Seafile's accounts");
                JsonNode data = reply.body().path("data");
                for (JsonNode user : data) {
                    String id = user.path("email").asText();
                    ids.put(id.toLowerCase(Locale.ROOT), id);
                    String contact = user.path("contact_email").asText("");
                    if (!contact.isBlank()) {
                        contacts.put(contact.toLowerCase(Locale.ROOT), id);
                    }
                    for (JsonNode link : user.path("social_auth")) {
                        social.put(link.path("provider").asText() + "\n" + link.path("uid").asText().toLowerCase(Locale.ROOT), id);
                    }
                }
                if (page == 1) {
                    total += reply.body().path("total_count").asLong(0);
                }
                if (data.size() < PAGE) {
                    break;
                }
            }
        }
        accounts = new Accounts(ids, contacts, social, total, clock.instant());
        stale = false;
        return accounts;
    }

    private long count(String source) throws TargetException {
        SeafileHttp.Reply reply = http.get("count Seafile's accounts", http.admin("users").addQueryParameter("source", source)
                .addQueryParameter("page", "1").addQueryParameter("per_page", "1").build());
        if (!reply.ok() && source.equals("ldapimport")) {
            return 0;
        }
        return reply.orFail("count Seafile's accounts").body().path("total_count").asLong(0);
    }
}
