package org.grouprelay.targets.scim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.grouprelay.change.GroupReader;
import org.grouprelay.change.GroupRef;
import org.grouprelay.config.ScimConfig;
import org.grouprelay.targets.Target;
import org.grouprelay.targets.TargetException;
import org.grouprelay.targets.UndoLog;
import org.grouprelay.targets.http.JsonHttp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One unit of work against a SCIM server. SCIM has no transactions: every call takes effect at once, and
 * {@link #rollback} undoes this session's calls in reverse (strict mode, when the directory refused after all).
 *
 * <p>Request shapes (RFC 7644 §3.5.2): members are added with {@code add} on {@code members}, at most
 * {@code maxOperations} values per request; a member is removed with {@code remove} on
 * {@code members[value eq "id"]} — never the unfiltered {@code members} path, which empties the group on a strict
 * server (§3.5.2.2). A server without PATCH gets PUT with the whole member list as the directory holds it now.
 */
final class ScimSession implements Target.Session {
    private static final Logger log = LoggerFactory.getLogger(ScimSession.class);
    static final String GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group";

    private final ScimHttp http;
    private final ScimLinks links;
    private final ScimAccounts accounts;
    private final ServiceProvider provider;
    private final ScimConfig config;
    private final Map<String, String> etags;
    private final Optional<GroupReader> directory;
    private final UndoLog undo = new UndoLog();

    ScimSession(ScimHttp http, ScimLinks links, ScimAccounts accounts, ServiceProvider provider, ScimConfig config,
            Map<String, String> etags, Optional<GroupReader> directory) {
        this.http = http;
        this.links = links;
        this.accounts = accounts;
        this.provider = provider;
        this.config = config;
        this.etags = etags;
        this.directory = directory;
    }

    /** The linked group's id, without a request: a group deleted by hand shows as 404 on the next write, which re-creates it. */
    @Override
    public Optional<String> linkedGroup(GroupRef group) throws TargetException {
        return links.get(group.uuid()).map(ScimLinks.Link::id);
    }

    @Override
    public Target.GroupLink ensureGroup(GroupRef group) throws TargetException {
        Optional<ScimLinks.Link> link = links.get(group.uuid());
        if (link.isPresent()) {
            return new Target.GroupLink(link.get().id(), Target.GroupLink.How.EXISTING);
        }
        // ours already, if a link was lost: the group carries the entryUUID as externalId
        Optional<JsonNode> ours = findGroup("externalId", group.uuid(), group);
        if (ours.isPresent()) {
            return link(group, ours.get(), Target.GroupLink.How.ADOPTED);
        }
        String what = "create the SCIM group for " + group.dn();
        ObjectNode body = http.json().createObjectNode();
        body.putArray("schemas").add(GROUP_SCHEMA);
        body.put("displayName", group.name());
        body.put("externalId", group.uuid());
        body.putArray("members");
        JsonHttp.Answer answer = http.post("Groups", body, what);
        if (answer.status() == 409) {
            // the name is taken (an earlier run, or the application's own group): link it instead of failing
            Optional<JsonNode> named = findGroup("displayName", group.name(), group);
            if (named.isEmpty()) {
                throw http.refused(answer, what + " (and no group named '" + group.name() + "' was found to link)");
            }
            log.info("SCIM group '{}' exists ({}); linked to {}", group.name(), named.get().path("id").asText(), group.dn());
            return link(group, named.get(), Target.GroupLink.How.ADOPTED);
        }
        if (!answer.ok()) {
            throw http.refused(answer, what);
        }
        String id = answer.body().path("id").asText();
        remember(id, answer);
        links.put(new ScimLinks.Link(group.uuid(), id, group.name()));
        undo.push("delete the new SCIM group " + id, () -> {
            http.delete("Groups/" + id, "delete SCIM group " + id);
            links.remove(group.uuid());
        });
        return new Target.GroupLink(id, Target.GroupLink.How.CREATED);
    }

    private Target.GroupLink link(GroupRef group, JsonNode found, Target.GroupLink.How how) throws TargetException {
        String id = found.path("id").asText();
        links.put(new ScimLinks.Link(group.uuid(), id, found.path("displayName").asText(group.name())));
        return new Target.GroupLink(id, how);
    }

    private Optional<JsonNode> findGroup(String attribute, String value, GroupRef group) throws TargetException {
        String what = "find the SCIM group of " + group.dn();
        JsonHttp.Answer answer = http.get("Groups", Map.of("filter", attribute + " eq " + ScimFilter.quote(value),
                "excludedAttributes", "members"), what);
        if (!answer.ok()) {
            throw http.refused(answer, what);
        }
        for (JsonNode resource : answer.body().path("Resources")) {
            return Optional.of(resource);
        }
        return Optional.empty();
    }

    @Override
    public void renameGroup(String groupId, GroupRef group) throws TargetException {
        Optional<ScimLinks.Link> before = links.get(group.uuid());
        if (provider.patch()) {
            ObjectNode patch = patchBody();
            patch.withArray("Operations").addObject().put("op", "replace").put("path", "displayName").put("value", group.name());
            send(groupId, patch, "rename SCIM group " + groupId + " to '" + group.name() + "'");
        } else {
            replace(groupId, group, members -> { });
        }
        links.put(new ScimLinks.Link(group.uuid(), groupId, group.name()));
        before.filter(b -> !b.displayName().equals(group.name())).ifPresent(b -> undo.push("rename SCIM group " + groupId
                + " back to '" + b.displayName() + "'", () -> {
                    ObjectNode back = patchBody();
                    back.withArray("Operations").addObject().put("op", "replace").put("path", "displayName").put("value", b.displayName());
                    send(groupId, back, "rename SCIM group " + groupId + " back");
                    links.put(b);
                }));
    }

    @Override
    public void deleteGroup(GroupRef group) throws TargetException {
        Optional<ScimLinks.Link> link = links.get(group.uuid());
        if (link.isEmpty()) {
            return;
        }
        String what = "delete SCIM group " + link.get().id();
        JsonHttp.Answer answer = http.delete("Groups/" + link.get().id(), what);
        if (!answer.ok() && answer.status() != 404) {
            throw http.refused(answer, what);
        }
        links.remove(group.uuid());
        etags.remove(link.get().id());
    }

    @Override
    public Set<String> members(String groupId) throws TargetException {
        String what = "read the members of SCIM group " + groupId;
        JsonHttp.Answer answer = http.get("Groups/" + groupId, Map.of(), what);
        if (answer.status() == 404) {
            return Set.of();
        }
        if (!answer.ok()) {
            throw http.refused(answer, what);
        }
        remember(groupId, answer);
        return ScimTarget.memberIds(answer.body());
    }

    @Override
    public void addMembers(String groupId, Collection<String> userIds) throws TargetException {
        List<String> ids = List.copyOf(new LinkedHashSet<>(userIds));
        if (ids.isEmpty()) {
            return;
        }
        if (!provider.patch()) {
            replace(groupId, group(groupId), members -> members.addAll(ids));
            return;
        }
        for (List<String> chunk : chunks(ids)) {
            ObjectNode patch = patchBody();
            ArrayNode values = patch.withArray("Operations").addObject().put("op", "add").put("path", "members").putArray("value");
            chunk.forEach(id -> values.addObject().put("value", id));
            sendAdd(groupId, patch, "add " + chunk.size() + " member(s) to SCIM group " + groupId);
            undo.push("remove " + chunk.size() + " member(s) just added to SCIM group " + groupId, () -> remove(groupId, chunk));
        }
    }

    @Override
    public Target.RemoveResult removeMembers(String groupId, Collection<String> userIds) throws TargetException {
        List<String> ids = List.copyOf(new LinkedHashSet<>(userIds));
        if (ids.isEmpty()) {
            return new Target.RemoveResult(List.of());
        }
        if (!provider.patch()) {
            replace(groupId, group(groupId), members -> members.removeAll(ids));
            return new Target.RemoveResult(List.of());
        }
        remove(groupId, ids);
        undo.push("add back " + ids.size() + " member(s) removed from SCIM group " + groupId, () -> {
            for (List<String> chunk : chunks(ids)) {
                ObjectNode patch = patchBody();
                ArrayNode values = patch.withArray("Operations").addObject().put("op", "add").put("path", "members").putArray("value");
                chunk.forEach(id -> values.addObject().put("value", id));
                send(groupId, patch, "add back members of SCIM group " + groupId);
            }
        });
        return new Target.RemoveResult(List.of());
    }

    /** One {@code remove} operation per member, on the filtered path, {@code maxOperations} per request. */
    private void remove(String groupId, List<String> ids) throws TargetException {
        for (List<String> chunk : chunks(ids)) {
            ObjectNode patch = patchBody();
            ArrayNode operations = patch.withArray("Operations");
            chunk.forEach(id -> operations.addObject().put("op", "remove").put("path", "members[value eq " + ScimFilter.quote(id) + "]"));
            send(groupId, patch, "remove " + chunk.size() + " member(s) from SCIM group " + groupId);
        }
    }

    @Override
    public void userDeleted(String userId) throws TargetException {
        String what = "deactivate SCIM user " + userId;
        switch (config.onUserDeleted()) {
            case KEEP -> {
                return;
            }
            case DELETE -> {
                JsonHttp.Answer answer = http.delete("Users/" + userId, "delete SCIM user " + userId);
                if (!answer.ok() && answer.status() != 404) {
                    throw http.refused(answer, "delete SCIM user " + userId);
                }
            }
            case DEACTIVATE -> {
                JsonHttp.Answer answer;
                if (provider.patch()) {
                    ObjectNode patch = patchBody();
                    patch.withArray("Operations").addObject().put("op", "replace").put("path", "active").put("value", false);
                    answer = http.patch("Users/" + userId, patch, Optional.empty(), what);
                } else {
                    JsonHttp.Answer current = http.get("Users/" + userId, Map.of(), what);
                    if (current.status() == 404) {
                        return;
                    }
                    ObjectNode user = ((ObjectNode) current.body().deepCopy()).put("active", false);
                    user.remove("meta");
                    answer = http.put("Users/" + userId, user, current.header("ETag"), what);
                }
                if (!answer.ok() && answer.status() != 404) {
                    throw http.refused(answer, what);
                }
            }
        }
        accounts.forget(userId);
    }

    /**
     * PUT with the whole group. Inside serve the member list is what the directory holds now (never a GET); a repair run
     * beside serve has no directory reader, so it applies {@code change} to the members the server shows (the plan it
     * repairs was computed from that read).
     */
    private void replace(String groupId, GroupRef group, java.util.function.Consumer<Set<String>> change) throws TargetException {
        Set<String> memberIds = new LinkedHashSet<>();
        String name = group.name();
        if (directory.isPresent()) {
            Optional<GroupReader.GroupState> state;
            try {
                state = directory.get().read(group.uuid());
            } catch (Exception e) {
                throw new TargetException("read " + group.uuid() + " in the directory for a whole member list: " + e.getMessage(), true, e);
            }
            if (state.isEmpty()) {
                return; // not a managed group any more: its delete is queued behind this change
            }
            name = state.get().group().name();
            memberIds.addAll(accounts.provision(state.get().users()).values());
        } else {
            memberIds.addAll(members(groupId));
            change.accept(memberIds);
        }
        ObjectNode body = http.json().createObjectNode();
        body.putArray("schemas").add(GROUP_SCHEMA);
        body.put("id", groupId);
        body.put("displayName", name);
        body.put("externalId", group.uuid());
        ArrayNode members = body.putArray("members");
        memberIds.forEach(id -> members.addObject().put("value", id));
        String what = "replace SCIM group " + groupId + " (" + memberIds.size() + " member(s))";
        JsonHttp.Answer answer = withVersion(groupId, tag -> http.put("Groups/" + groupId, body, tag, what));
        check(groupId, answer, what);
    }

    private GroupRef group(String groupId) throws TargetException {
        return links.all().values().stream().filter(l -> l.id().equals(groupId)).findFirst()
                .map(l -> new GroupRef(l.uuid(), "", l.displayName()))
                .orElseThrow(() -> new TargetException("SCIM group " + groupId + " is not linked to a directory group", false, null));
    }

    /**
     * An add the server refuses as an invalid value names a member it does not have: a user deleted by hand in the
     * application since its id was remembered. The ids are forgotten, and the next try looks the users up again.
     */
    private void sendAdd(String groupId, ObjectNode patch, String what) throws TargetException {
        JsonHttp.Answer answer = withVersion(groupId, tag -> http.patch("Groups/" + groupId, patch, tag, what));
        if (answer.status() == 400 && "invalidValue".equals(answer.body().path("scimType").asText(""))) {
            accounts.forgetAll();
            throw new TargetException(what + ": HTTP 400" + ScimHttp.detail(answer.body()) + "; a member's SCIM user may have been deleted"
                    + " in the application: users are looked up again on the next try", true, null);
        }
        check(groupId, answer, what);
    }

    private void send(String groupId, ObjectNode patch, String what) throws TargetException {
        check(groupId, withVersion(groupId, tag -> http.patch("Groups/" + groupId, patch, tag, what)), what);
    }

    private interface Call {
        JsonHttp.Answer send(Optional<String> ifMatch) throws TargetException;
    }

    /** With {@code If-Match} when the server versions groups; a stale version (412) is read again and the call made once more. */
    private JsonHttp.Answer withVersion(String groupId, Call call) throws TargetException {
        if (!provider.etag()) {
            return call.send(Optional.empty());
        }
        JsonHttp.Answer answer = call.send(Optional.ofNullable(etags.get(groupId)));
        if (answer.status() == 412) {
            JsonHttp.Answer current = http.get("Groups/" + groupId, Map.of("attributes", "id"), "read the version of SCIM group " + groupId);
            remember(groupId, current);
            answer = call.send(Optional.ofNullable(etags.get(groupId)));
        }
        return answer;
    }

    /** 404: the linked group was deleted in the application; the link goes, and the next try re-creates it. */
    private void check(String groupId, JsonHttp.Answer answer, String what) throws TargetException {
        if (answer.status() == 404) {
            for (ScimLinks.Link link : links.all().values()) {
                if (link.id().equals(groupId)) {
                    links.remove(link.uuid());
                }
            }
            etags.remove(groupId);
            throw new TargetException(what + ": the linked SCIM group no longer exists; it is created again on the next try", true, null);
        }
        if (!answer.ok()) {
            throw http.refused(answer, what);
        }
        remember(groupId, answer);
    }

    private void remember(String groupId, JsonHttp.Answer answer) {
        answer.header("ETag").ifPresent(tag -> etags.put(groupId, tag));
    }

    private ObjectNode patchBody() {
        ObjectNode patch = http.json().createObjectNode();
        patch.putArray("schemas").add(ScimHttp.PATCH_OP);
        patch.putArray("Operations");
        return patch;
    }

    private List<List<String>> chunks(List<String> ids) {
        List<List<String>> chunks = new ArrayList<>();
        for (int from = 0; from < ids.size(); from += provider.maxOperations()) {
            chunks.add(ids.subList(from, Math.min(ids.size(), from + provider.maxOperations())));
        }
        return chunks;
    }

    @Override
    public void commit() {
        undo.clear();
    }

    @Override
    public void rollback() {
        undo.rollback();
    }

    @Override
    public void close() {
        rollback();
    }
}
