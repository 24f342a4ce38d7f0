package org.grouprelay.targets.seafile.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import okhttp3.FormBody;
import org.grouprelay.targets.TargetException;

/**
 * Seafile's admin group endpoints, one method per call, with Seafile's answers turned into results:
 * a group that is gone (404) is a transient failure (the next attempt re-creates it), "already a
 * member" and "not a member" are successes, removing the owner (403) is reported, not failed.
 * Remembers which groups were seen to exist, so a relayed change does not need a request to check.
 */
final class GroupApi {
    static final int PAGE = 100;
    /** Members per add request: Seafile takes a repeated {@code email} field. */
    static final int ADD_CHUNK = 100;

    /** Outcome of one member removal. */
    enum Removal { REMOVED, OWNER }

    /** Seafile refused a group name because another group has it. */
    static final class NameTaken extends Exception {
        NameTaken(String message) {
            super(message);
        }
    }

    private final SeafileHttp http;
    private final Set<Long> known = ConcurrentHashMap.newKeySet();

    GroupApi(SeafileHttp http) {
        this.http = http;
    }

    /** Whether the group exists; a request only for a group not seen since it was linked. */
    boolean exists(long id) throws TargetException {
        if (known.contains(id)) {
            return true;
        }
        SeafileHttp.Reply reply = http.get("check Seafile group " + id, http.admin("groups", String.valueOf(id), "members")
                .addQueryParameter("page", "1").addQueryParameter("per_page", "1").build());
        if (reply.code() == 404) {
            return false;
        }
        reply.orFail("check Seafile group " + id);
        known.add(id);
        return true;
    }

    /** The groups named exactly {@code name} (Seafile's name filter matches substrings): id → owner. */
    Map<Long, String> named(String name) throws TargetException {
        SeafileHttp.Reply reply = http.get("find Seafile groups named '" + name + "'",
                http.admin("groups").addQueryParameter("name", name).build()).orFail("find Seafile groups named '" + name + "'");
        Map<Long, String> found = new LinkedHashMap<>();
        for (JsonNode group : reply.body().path("groups")) {
            if (group.path("name").asText().equals(name)) {
                found.put(group.path("id").asLong(), group.path("owner").asText().toLowerCase(Locale.ROOT));
                known.add(group.path("id").asLong());
            }
        }
        return found;
    }

    long create(String name, String owner) throws TargetException, NameTaken {
        String what = "create Seafile group '" + name + "'";
        SeafileHttp.Reply reply = http.post(what, http.admin("groups").build(),
                new FormBody.Builder().add("group_name", name).add("group_owner", owner).build());
        if (reply.code() == 400 && reply.error().contains("already a group with that name")) {
            throw new NameTaken(reply.error());
        }
        if (reply.code() == 404) {
            throw new TargetException(what + ": Seafile has no account " + owner + " (seafile.groupCreator): HTTP 404 \"" + reply.error() + "\"", false, null);
        }
        long id = reply.orFail(what).body().path("id").asLong();
        known.add(id);
        return id;
    }

    void rename(long id, String name) throws TargetException, NameTaken {
        String what = "rename Seafile group " + id + " to '" + name + "'";
        SeafileHttp.Reply reply = http.put(what, http.admin("groups", String.valueOf(id)).build(), new FormBody.Builder().add("name", name).build());
        gone(what, id, reply);
        if (reply.code() == 400 && reply.error().contains("already a group with that name")) {
            throw new NameTaken(reply.error());
        }
        reply.orFail(what);
    }

    /** Seafile answers 200 whether or not the group exists. */
    void delete(long id) throws TargetException {
        http.delete("delete Seafile group " + id, http.admin("groups", String.valueOf(id)).build()).orFail("delete Seafile group " + id);
        known.remove(id);
    }

    /** One add request for at most {@link #ADD_CHUNK} members: what was added, and what Seafile refused (other than "already a member"). */
    record Added(List<String> added, List<String> refused) {
    }

    Added add(long id, List<String> emails) throws TargetException {
        List<String> added = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        FormBody.Builder form = new FormBody.Builder();
        emails.forEach(email -> form.add("email", email));
        String what = "add " + emails.size() + " member(s) to Seafile group " + id;
        SeafileHttp.Reply reply = http.post(what, http.admin("groups", String.valueOf(id), "members").build(), form.build());
        gone(what, id, reply);
        reply.orFail(what);
        reply.body().path("success").forEach(m -> added.add(m.path("email").asText().toLowerCase(Locale.ROOT)));
        for (JsonNode failed : reply.body().path("failed")) {
            String message = failed.path("error_msg").asText();
            if (!message.contains("already a group member")) {
                refused.add(failed.path("email").asText() + ": " + message);
            }
        }
        return new Added(added, refused);
    }

    Removal remove(long id, String email) throws TargetException {
        String what = "remove " + email + " from Seafile group " + id;
        SeafileHttp.Reply reply = http.delete(what, http.admin("groups", String.valueOf(id), "members", email).build());
        gone(what, id, reply);
        if (reply.code() == 403 && reply.error().contains("group owner")) {
            return Removal.OWNER;
        }
        reply.orFail(what);
        return Removal.REMOVED;
    }

    /** Every group, page by page: id → group object. */
    Map<Long, JsonNode> all() throws TargetException {
        Map<Long, JsonNode> groups = new LinkedHashMap<>();
        for (int page = 1; ; page++) {
            JsonNode body = http.get("list Seafile's groups", http.admin("groups").addQueryParameter("page", String.valueOf(page))
                    .addQueryParameter("per_page", String.valueOf(PAGE)).build()).orFail("list Seafile's groups").body();
            body.path("groups").forEach(g -> groups.put(g.path("id").asLong(), g));
            if (!body.path("page_info").path("has_next_page").asBoolean(false)) {
                return groups;
            }
        }
    }

    /** The group's members (lower-cased ids), page by page; empty when the group does not exist. */
    Optional<Set<String>> members(long id) throws TargetException {
        Set<String> members = new HashSet<>();
        String what = "list the members of Seafile group " + id;
        for (int page = 1; ; page++) {
            SeafileHttp.Reply reply = http.get(what, http.admin("groups", String.valueOf(id), "members")
                    .addQueryParameter("page", String.valueOf(page)).addQueryParameter("per_page", String.valueOf(PAGE)).build());
            if (reply.code() == 404) {
                known.remove(id);
                return Optional.empty();
            }
            JsonNode body = reply.orFail(what).body();
            JsonNode list = body.path("members");
            list.forEach(m -> members.add(m.path("email").asText().toLowerCase(Locale.ROOT)));
            known.add(id);
            boolean more = body.has("page_info") ? body.path("page_info").path("has_next_page").asBoolean(false)
                    : body.has("total_count") ? members.size() < body.path("total_count").asLong() && list.size() > 0
                    : list.size() == PAGE;
            if (!more) {
                return Optional.of(members);
            }
        }
    }

    void seen(long id) {
        known.add(id);
    }

    /** A 404 on a group endpoint: deleted in Seafile meanwhile; the next attempt re-creates it. */
    private void gone(String what, long id, SeafileHttp.Reply reply) throws TargetException {
        if (reply.code() == 404 && reply.error().toLowerCase(Locale.ROOT).startsWith("group")) {
            known.remove(id);
            throw new TargetException(what + ": Seafile group " + id + " no longer exists (deleted in Seafile?);"
                    + " it is re-created and re-linked at the next attempt", true, null);
        }
    }
}
