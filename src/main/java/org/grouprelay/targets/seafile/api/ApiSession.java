package org.grouprelay.targets.seafile.api;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.grouprelay.change.GroupRef;
import org.grouprelay.targets.Target;
import org.grouprelay.targets.TargetException;
import org.grouprelay.targets.UndoLog;
import org.grouprelay.targets.seafile.SeafileGroupId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One unit of work through the admin API. The API has no transactions, so writes happen at once
 * (strict mode learns before the directory commits whether Seafile takes them) and each write
 * records how to undo it; {@link #rollback()} undoes them newest first: a created group is deleted,
 * a rename reverted, added members removed and removed members added back (their shares to the
 * group, which Seafile deletes with the membership, cannot come back). Deleting a group cannot be
 * undone, so it waits for {@link #commit()}.
 */
final class ApiSession implements Target.Session {
    private static final Logger log = LoggerFactory.getLogger(ApiSession.class);

    private final GroupApi groups;
    private final LinkFile links;
    private final String creator;
    private final boolean adopt;
    private final UndoLog undo = new UndoLog();
    private final List<LinkFile.Link> deletes = new ArrayList<>();

    ApiSession(GroupApi groups, LinkFile links, String creator, boolean adopt) {
        this.groups = groups;
        this.links = links;
        this.creator = creator;
        this.adopt = adopt;
    }

    @Override
    public Optional<String> linkedGroup(GroupRef group) throws TargetException {
        Optional<LinkFile.Link> link = links.get(group.uuid()).filter(LinkFile.Link::settled);
        return link.isPresent() && groups.exists(link.get().groupId()) ? Optional.of(String.valueOf(link.get().groupId())) : Optional.empty();
    }

    @Override
    public java.util.Set<String> members(String groupId) throws TargetException {
        return groups.members(SeafileGroupId.parse(groupId)).orElse(java.util.Set.of());
    }

    @Override
    public Target.GroupLink ensureGroup(GroupRef group) throws TargetException {
        Optional<LinkFile.Link> link = links.get(group.uuid());
        if (link.isPresent() && link.get().settled() && groups.exists(link.get().groupId())) {
            return new Target.GroupLink(String.valueOf(link.get().groupId()), Target.GroupLink.How.EXISTING);
        }
        String name = GroupNames.seafileName(group);
        Optional<LinkFile.Link> settled = link.filter(LinkFile.Link::settled);
        if (settled.isEmpty() && adopt) {
            Optional<Long> same = unlinked(groups.named(name), null);
            if (same.isPresent()) {
                relink(group, same.get(), name, link);
                return new Target.GroupLink(String.valueOf(same.get()), Target.GroupLink.How.ADOPTED);
            }
        }
        // written before the request: if the answer is lost (timeout), the next attempt knows the group may exist
        boolean inFlight = link.isPresent() && !link.get().settled() && link.get().seafileName().equals(name);
        links.put(new LinkFile.Link(group.uuid(), LinkFile.Link.CREATING, name, group.name())); // kept on failure: the outcome is unknown
        long id;
        try {
            id = groups.create(name, creator);
        } catch (GroupApi.NameTaken e) {
            Optional<Long> ours = inFlight ? unlinked(groups.named(name), creator) : Optional.empty();
            if (ours.isEmpty()) {
                restore(group, link); // the outcome is known: nothing was created
                throw new TargetException("create the Seafile group for " + group.dn() + ": Seafile already has a group named '" + name
                        + "' that is not linked to it (\"" + e.getMessage() + "\"); set seafile.adopt: true to link that group"
                        + " (e.g. after the link file was lost), or rename one of them", false, null);
            }
            id = ours.get(); // created by the attempt whose answer was lost
        }
        long created = id;
        undo.push("delete the new Seafile group " + id, () -> groups.delete(created));
        if (!name.equals(group.name())) {
            log.warn("Seafile refuses the group name '{}' of {}; its Seafile group {} is named '{}'", group.name(), group.dn(), id, name);
        }
        relink(group, id, name, link);
        return new Target.GroupLink(String.valueOf(id), settled.isPresent() ? Target.GroupLink.How.RECREATED : Target.GroupLink.How.CREATED);
    }

    /** The lowest id among {@code named} that no directory group is linked to (and that {@code owner} owns, if given). */
    private Optional<Long> unlinked(Map<Long, String> named, String owner) throws TargetException {
        Set<Long> linked = new java.util.HashSet<>();
        links.all().values().forEach(l -> linked.add(l.groupId()));
        return named.entrySet().stream().filter(e -> !linked.contains(e.getKey()) && (owner == null || owner.equals(e.getValue())))
                .map(Map.Entry::getKey).sorted().findFirst();
    }

    private void relink(GroupRef group, long id, String name, Optional<LinkFile.Link> previous) throws TargetException {
        links.put(new LinkFile.Link(group.uuid(), id, name, group.name()));
        undo.push("restore the link of " + group.dn(), () -> restore(group, previous));
    }

    private void restore(GroupRef group, Optional<LinkFile.Link> previous) throws TargetException {
        if (previous.isPresent() && previous.get().settled()) {
            links.put(previous.get());
        } else {
            links.remove(group.uuid());
        }
    }

    @Override
    public void renameGroup(String seafileId, GroupRef group) throws TargetException {
        long groupId = SeafileGroupId.parse(seafileId);
        String name = GroupNames.seafileName(group);
        Optional<LinkFile.Link> before = links.get(group.uuid()).filter(l -> l.groupId() == groupId);
        try {
            groups.rename(groupId, name);
        } catch (GroupApi.NameTaken e) {
            if (!groups.named(name).containsKey(groupId)) {
                throw new TargetException("rename Seafile group " + groupId + " to '" + name + "': another Seafile group has that name (\""
                        + e.getMessage() + "\"); rename one of them", false, null);
            }
            // it already has that name: nothing to do
        }
        if (before.isPresent() && !before.get().seafileName().equals(name)) {
            String old = before.get().seafileName();
            undo.push("rename Seafile group " + groupId + " back to '" + old + "'", () -> {
                try {
                    groups.rename(groupId, old);
                } catch (GroupApi.NameTaken e) {
                    throw new TargetException(e.getMessage(), false, null);
                }
            });
        }
        links.put(new LinkFile.Link(group.uuid(), groupId, name, group.name()));
        before.ifPresent(b -> undo.push("restore the link of " + group.dn(), () -> links.put(b)));
    }

    @Override
    public void deleteGroup(GroupRef group) throws TargetException {
        links.get(group.uuid()).ifPresent(deletes::add);
    }

    /** Up to {@link GroupApi#ADD_CHUNK} members per request; each request's additions can be undone on their own. */
    @Override
    public void addMembers(String seafileId, Collection<String> userIds) throws TargetException {
        long groupId = SeafileGroupId.parse(seafileId);
        List<String> all = lower(userIds);
        List<String> refused = new ArrayList<>();
        for (int from = 0; from < all.size(); from += GroupApi.ADD_CHUNK) {
            GroupApi.Added result = groups.add(groupId, all.subList(from, Math.min(all.size(), from + GroupApi.ADD_CHUNK)));
            refused.addAll(result.refused());
            if (!result.added().isEmpty()) {
                undo.push("remove " + result.added().size() + " member(s) just added to Seafile group " + groupId, () -> {
                    for (String id : result.added()) {
                        groups.remove(groupId, id);
                    }
                });
            }
        }
        if (!refused.isEmpty()) {
            throw new TargetException("add members to Seafile group " + groupId + ": Seafile refused " + refused.size() + " of " + all.size()
                    + " (" + String.join("; ", refused) + ")", false, null);
        }
    }

    /** Seafile refuses to remove the group's owner (403): kept and reported, as the SQL target does. */
    @Override
    public Target.RemoveResult removeMembers(String seafileId, Collection<String> userIds) throws TargetException {
        long groupId = SeafileGroupId.parse(seafileId);
        List<String> kept = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        try {
            for (String id : lower(userIds)) {
                if (groups.remove(groupId, id) == GroupApi.Removal.OWNER) {
                    kept.add(id);
                } else {
                    removed.add(id);
                }
            }
        } finally {
            if (!removed.isEmpty()) {
                undo.push("add back " + removed.size() + " member(s) removed from Seafile group " + groupId, () -> {
                    for (int from = 0; from < removed.size(); from += GroupApi.ADD_CHUNK) {
                        groups.add(groupId, removed.subList(from, Math.min(removed.size(), from + GroupApi.ADD_CHUNK)));
                    }
                });
            }
        }
        return new Target.RemoveResult(kept);
    }

    @Override
    public void commit() throws TargetException {
        while (!deletes.isEmpty()) {
            LinkFile.Link link = deletes.get(0);
            if (link.settled()) {
                groups.delete(link.groupId());
            }
            links.remove(link.uuid());
            deletes.remove(0);
        }
        undo.clear();
    }

    @Override
    public void rollback() {
        deletes.clear();
        undo.rollback();
    }

    @Override
    public void close() {
        rollback();
    }

    private static List<String> lower(Collection<String> ids) {
        return ids.stream().map(id -> id.toLowerCase(Locale.ROOT)).distinct().toList();
    }
}
