package org.grouprelay.targets.entra;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.grouprelay.change.GroupRef;
import org.grouprelay.targets.Target;
import org.grouprelay.targets.TargetException;
import org.grouprelay.targets.http.JsonHttp;

/**
 * Member changes of mapped Entra groups. Graph has no transactions: every call takes effect at once (relay mode only).
 * Adds go as {@code PATCH /groups/{id}} with up to 20 {@code members@odata.bind} references; Graph refuses the whole request
 * when one of them is already a member, so such a request is split in halves and retried until every new member is in.
 * Removes go as {@code DELETE /groups/{id}/members/{userId}/$ref} (404: not a member, done), twenty per {@code $batch}.
 * Mapped groups are never created, renamed or deleted.
 */
final class EntraSession implements Target.Session {
    private static final int MAX_REFERENCES = 20;

    private final GraphHttp http;
    private final GraphBatch batch;
    private final EntraTarget target;

    EntraSession(GraphHttp http, EntraTarget target) {
        this.http = http;
        this.batch = new GraphBatch(http);
        this.target = target;
    }

    @Override
    public Optional<String> linkedGroup(GroupRef group) {
        return target.mapped(group);
    }

    @Override
    public Target.GroupLink ensureGroup(GroupRef group) throws TargetException {
        String id = target.mapped(group).orElseThrow(() -> new TargetException(group.name() + " is not mapped to an Entra group", false, null));
        return new Target.GroupLink(id, Target.GroupLink.How.EXISTING);
    }

    @Override
    public void renameGroup(String groupId, GroupRef group) {
        // the Entra group keeps its own name
    }

    @Override
    public void deleteGroup(GroupRef group) {
        // the Entra group exists on its own: it and its members stay
    }

    @Override
    public Set<String> members(String groupId) throws TargetException {
        return target.members(groupId);
    }

    @Override
    public void addMembers(String groupId, Collection<String> userIds) throws TargetException {
        List<String> ids = List.copyOf(new LinkedHashSet<>(userIds));
        for (int from = 0; from < ids.size(); from += MAX_REFERENCES) {
            add(groupId, ids.subList(from, Math.min(ids.size(), from + MAX_REFERENCES)));
        }
    }

    /** One PATCH; if Graph says one of them is a member already, each half is tried on its own. */
    private void add(String groupId, List<String> ids) throws TargetException {
        String what = "add " + ids.size() + " member(s) to Entra group " + groupId;
        ObjectNode body = http.json().createObjectNode();
        ids.forEach(id -> body.withArray("members@odata.bind").add(http.directoryObject(id)));
        JsonHttp.Answer answer = http.call("PATCH", "groups/" + groupId, body, what);
        if (answer.ok()) {
            return;
        }
        if (answer.status() == 400 && GraphHttp.message(answer).contains("already exist")) {
            if (ids.size() > 1) {
                add(groupId, ids.subList(0, ids.size() / 2));
                add(groupId, ids.subList(ids.size() / 2, ids.size()));
            }
            return; // a single reference that exists: that member is in already
        }
        if (answer.status() == 404 && GraphHttp.message(answer).contains(groupId)) {
            throw new TargetException(what + ": the Entra group does not exist; check the groups mapping of " + target.keyPrefix(), false, null);
        }
        if (answer.status() == 400 && GraphHttp.message(answer).contains("do not exist")) {
            // a user deleted in Entra since we looked it up, or a group still replicating: look up again, later
            target.forgetUsers();
            throw new TargetException(what + ": " + GraphHttp.message(answer), true, null);
        }
        throw new TargetException(what + ": HTTP " + answer.status() + " " + GraphHttp.message(answer), false, null);
    }

    @Override
    public Target.RemoveResult removeMembers(String groupId, Collection<String> userIds) throws TargetException {
        List<String> ids = List.copyOf(new LinkedHashSet<>(userIds));
        String what = "remove " + ids.size() + " member(s) from Entra group " + groupId;
        List<JsonHttp.Answer> answers;
        if (ids.size() == 1) {
            answers = List.of(http.call("DELETE", "groups/" + groupId + "/members/" + ids.get(0) + "/$ref", null, what));
        } else {
            List<GraphBatch.Part> parts = new ArrayList<>();
            ids.forEach(id -> parts.add(new GraphBatch.Part("DELETE", "groups/" + groupId + "/members/" + id + "/$ref", null)));
            answers = batch.send(parts, what);
        }
        for (int i = 0; i < ids.size(); i++) {
            JsonHttp.Answer answer = answers.get(i);
            if (!answer.ok() && answer.status() != 404) {
                throw new TargetException("remove " + ids.get(i) + " from Entra group " + groupId + ": HTTP " + answer.status() + " "
                        + GraphHttp.message(answer), false, null);
            }
        }
        return new Target.RemoveResult(List.of());
    }

    @Override
    public void commit() {
    }

    @Override
    public void rollback() {
    }

    @Override
    public void close() {
    }
}
