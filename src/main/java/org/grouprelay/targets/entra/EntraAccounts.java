package org.grouprelay.targets.entra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.grouprelay.change.UserRef;
import org.grouprelay.config.EntraConfig;
import org.grouprelay.mapping.Accounts;
import org.grouprelay.targets.TargetException;
import org.grouprelay.targets.http.JsonHttp;

/**
 * Directory users as Entra users: the {@code users.match} attribute (default mail) is looked up as the user's {@code mail},
 * then in {@code otherMails}, then as {@code userPrincipalName} (case-insensitive), twenty users per {@code $batch}.
 * Ids found are remembered. With {@code users.invite}, a user found nowhere is invited as a B2B guest (no invitation
 * e-mail) and, with {@code users.memberType}, made a member; otherwise they are pending and looked up again later.
 */
final class EntraAccounts implements Accounts {
    private final GraphHttp http;
    private final GraphBatch batch;
    private final EntraConfig config;
    private final Map<String, String> known = new ConcurrentHashMap<>();

    EntraAccounts(GraphHttp http, EntraConfig config) {
        this.http = http;
        this.batch = new GraphBatch(http);
        this.config = config;
    }

    @Override
    public Map<UserRef, String> find(List<UserRef> users) throws TargetException {
        Map<String, List<UserRef>> byKey = new LinkedHashMap<>();
        for (UserRef user : users) {
            key(user).ifPresent(k -> byKey.computeIfAbsent(k, x -> new ArrayList<>()).add(user));
        }
        List<String> unknown = byKey.keySet().stream().filter(k -> !known.containsKey(k)).toList();
        for (String filter : List.of("mail eq %s", "otherMails/any(m:m eq %s)", "userPrincipalName eq %s")) {
            unknown = lookUp(unknown, filter);
        }
        Map<UserRef, String> found = new LinkedHashMap<>();
        byKey.forEach((key, refs) -> Optional.ofNullable(known.get(key)).ifPresent(id -> refs.forEach(u -> found.put(u, id))));
        return found;
    }

    /** Looks {@code keys} up with {@code filter}; returns those still unknown. */
    private List<String> lookUp(List<String> keys, String filter) throws TargetException {
        if (keys.isEmpty()) {
            return keys;
        }
        List<GraphBatch.Part> parts = keys.stream().map(k -> new GraphBatch.Part("GET", "users?$select=id,mail,userPrincipalName&$filter="
                + URLEncoder.encode(filter.formatted(quote(k)), StandardCharsets.UTF_8).replace("+", "%20"), null)).toList();
        List<JsonHttp.Answer> answers = batch.send(parts, "find Entra users (" + filter.formatted("…") + ")");
        List<String> still = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            JsonHttp.Answer answer = answers.get(i);
            if (!answer.ok()) {
                throw new TargetException("find the Entra user of " + keys.get(i) + ": HTTP " + answer.status() + " " + GraphHttp.message(answer), false, null);
            }
            JsonNode first = answer.body().path("value").path(0);
            if (first.isMissingNode()) {
                still.add(keys.get(i));
            } else {
                known.put(keys.get(i), first.path("id").asText());
            }
        }
        return still;
    }

    @Override
    public Map<UserRef, String> provision(List<UserRef> users) throws TargetException {
        Map<UserRef, String> found = find(users);
        if (!config.invite()) {
            return found;
        }
        for (UserRef user : users) {
            Optional<String> key = key(user);
            if (found.containsKey(user) || key.isEmpty()) {
                continue;
            }
            String id = known.containsKey(key.get()) ? known.get(key.get()) : invite(key.get(), user);
            found.put(user, id);
        }
        return found;
    }

    /** {@code POST /invitations} (the e-mail only with {@code users.sendInvitationMessage}); then userType Member if configured. */
    private String invite(String address, UserRef user) throws TargetException {
        String what = "invite " + address + " (" + user.dn() + ") as a guest";
        ObjectNode body = http.json().createObjectNode().put("invitedUserEmailAddress", address)
                .put("inviteRedirectUrl", config.inviteRedirectUrl()).put("sendInvitationMessage", config.sendInvitationMessage());
        user.attribute("displayName").or(() -> user.attribute("cn")).ifPresent(n -> body.put("invitedUserDisplayName", n));
        JsonHttp.Answer answer = http.call("POST", "invitations", body, what);
        if (!answer.ok()) {
            throw new TargetException(what + ": HTTP " + answer.status() + " " + GraphHttp.message(answer), false, null);
        }
        String id = answer.body().path("invitedUser").path("id").asText();
        if (config.memberType()) {
            JsonHttp.Answer member = http.call("PATCH", "users/" + id, http.json().createObjectNode().put("userType", "Member"),
                    "make invited user " + id + " a member");
            if (!member.ok()) {
                throw new TargetException("make invited user " + id + " a member: HTTP " + member.status() + " " + GraphHttp.message(member), false, null);
            }
        }
        known.put(address, id);
        return id;
    }

    void forgetAll() {
        known.clear();
    }

    private Optional<String> key(UserRef user) {
        return user.attribute(config.match()).map(v -> v.toLowerCase(Locale.ROOT));
    }

    /** An OData string literal: single quotes, doubled inside. */
    static String quote(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    @Override
    public long watermark() {
        return 0; // nothing cheap tells that an Entra user appeared: pending members are looked up again every minute
    }

    @Override
    public String describe() {
        return "Entra user whose mail, otherMails or userPrincipalName is the directory's " + config.match()
                + (config.invite() ? ", else invited as a guest" : "");
    }

    @Override
    public List<String> attributes() {
        return List.of(config.match(), "cn", "displayname");
    }
}
