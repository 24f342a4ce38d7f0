package org.grouprelay.targets.scim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.grouprelay.change.UserRef;
import org.grouprelay.mapping.Accounts;
import org.grouprelay.targets.TargetException;
import org.grouprelay.targets.http.JsonHttp;

/**
 * Directory users as SCIM users (RFC 7643 §4.1): found by {@code externalId} (the entry's entryUUID), then by
 * {@code userName} (the configured attribute, default {@code uid}); created with {@code userName}, {@code externalId},
 * {@code name}, {@code displayName}, {@code emails} and {@code active: true} when a member needs one. Ids found are
 * remembered, so a member change costs no lookup once its users were seen.
 */
final class ScimAccounts implements Accounts {
    static final String USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User";

    private final ScimHttp http;
    private final String userNameAttribute;
    /** entryUUID (or, without one, the lower-cased userName) → SCIM user id. */
    private final Map<String, String> known = new ConcurrentHashMap<>();

    ScimAccounts(ScimHttp http, String userNameAttribute) {
        this.http = http;
        this.userNameAttribute = userNameAttribute;
    }

    @Override
    public Map<UserRef, String> find(List<UserRef> users) throws TargetException {
        Map<UserRef, String> found = new LinkedHashMap<>();
        for (UserRef user : users) {
            Optional<String> id = lookup(user);
            id.ifPresent(i -> found.put(user, i));
        }
        return found;
    }

    @Override
    public Map<UserRef, String> provision(List<UserRef> users) throws TargetException {
        Map<UserRef, String> found = find(users);
        for (UserRef user : users) {
            if (!found.containsKey(user) && userName(user).isPresent()) {
                found.put(user, create(user));
            }
        }
        return found;
    }

    private Optional<String> lookup(UserRef user) throws TargetException {
        Optional<String> key = key(user);
        if (key.isEmpty()) {
            return Optional.empty();
        }
        String cached = known.get(key.get());
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<JsonNode> match = user.attribute("entryUUID").isPresent()
                ? search("externalId", user.attribute("entryUUID").get(), user) : Optional.empty();
        if (match.isEmpty()) {
            match = search("userName", userName(user).get(), user);
        }
        if (match.isEmpty()) {
            return Optional.empty();
        }
        String id = match.get().path("id").asText();
        if (!match.get().path("active").asBoolean(true)) {
            activate(id, user);
        }
        known.put(key.get(), id);
        return Optional.of(id);
    }

    private Optional<JsonNode> search(String attribute, String value, UserRef user) throws TargetException {
        String what = "find the SCIM user of " + user.dn();
        JsonHttp.Answer answer = http.get("Users", Map.of("filter", attribute + " eq " + ScimFilter.quote(value)), what);
        if (!answer.ok()) {
            throw http.refused(answer, what);
        }
        for (JsonNode resource : answer.body().path("Resources")) {
            return Optional.of(resource);
        }
        return Optional.empty();
    }

    private String create(UserRef user) throws TargetException {
        String what = "create the SCIM user of " + user.dn();
        ObjectNode body = http.json().createObjectNode();
        body.putArray("schemas").add(USER_SCHEMA);
        body.put("userName", userName(user).orElseThrow());
        user.attribute("entryUUID").ifPresent(uuid -> body.put("externalId", uuid));
        ObjectNode name = body.putObject("name");
        user.attribute("givenName").ifPresent(v -> name.put("givenName", v));
        user.attribute("sn").ifPresent(v -> name.put("familyName", v));
        user.attribute("cn").ifPresent(v -> name.put("formatted", v));
        body.put("displayName", user.attribute("displayName").or(() -> user.attribute("cn")).orElse(userName(user).get()));
        user.attribute("mail").ifPresent(mail -> body.putArray("emails").addObject().put("value", mail).put("type", "work").put("primary", true));
        body.put("active", true);
        JsonHttp.Answer answer = http.post("Users", body, what);
        if (answer.status() == 409) {
            // it exists (made by someone else, or our earlier answer was lost): use it
            known.remove(key(user).get());
            return lookup(user).orElseThrow(() -> http.refused(answer, what + " (the server says it exists, but no user has userName "
                    + userName(user).get() + " or externalId " + user.attribute("entryUUID").orElse("-") + ")"));
        }
        if (!answer.ok()) {
            throw http.refused(answer, what);
        }
        String id = answer.body().path("id").asText();
        known.put(key(user).get(), id);
        return id;
    }

    /** A user we need as a member but the server has switched off (e.g. deleted and re-created in the directory). */
    private void activate(String id, UserRef user) throws TargetException {
        String what = "reactivate the SCIM user of " + user.dn();
        ObjectNode patch = http.json().createObjectNode();
        patch.putArray("schemas").add(ScimHttp.PATCH_OP);
        patch.putArray("Operations").addObject().put("op", "replace").put("path", "active").put("value", true);
        JsonHttp.Answer answer = http.patch("Users/" + id, patch, Optional.empty(), what);
        if (!answer.ok()) {
            throw http.refused(answer, what);
        }
    }

    /** Forgets every remembered id (one of them named a user the server no longer has). */
    void forgetAll() {
        known.clear();
    }

    /** Forgets {@code id} (its user was deactivated or deleted). */
    void forget(String id) {
        known.values().removeIf(id::equals);
    }

    private Optional<String> userName(UserRef user) {
        return user.attribute(userNameAttribute);
    }

    private Optional<String> key(UserRef user) {
        return user.attribute("entryUUID").or(() -> userName(user).map(n -> "userName:" + n.toLowerCase(Locale.ROOT)));
    }

    @Override
    public long watermark() {
        return 0; // users are created when needed: nothing waits for an account to appear
    }

    @Override
    public String describe() {
        return "SCIM userName from " + userNameAttribute + ", externalId from entryUUID";
    }

    @Override
    public List<String> attributes() {
        return List.of(userNameAttribute, "entryuuid", "mail", "cn", "sn", "givenname", "displayname");
    }
}
