package org.grouprelay.testing.scim;

import de.captaingoldfish.scim.sdk.common.constants.ScimType;
import de.captaingoldfish.scim.sdk.common.exceptions.BadRequestException;
import de.captaingoldfish.scim.sdk.common.exceptions.ConflictException;
import de.captaingoldfish.scim.sdk.common.exceptions.ResourceNotFoundException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.grouprelay.testing.scim.ScimServer.ScimGroup;
import org.grouprelay.testing.scim.ScimServer.ScimUser;

/**
 * The SCIM server's users and groups, in memory. Enforces what the SCIM library leaves to the
 * application: {@code userName} and group {@code displayName} unique (case-insensitively, 409
 * uniqueness), members that exist (400 invalidValue), no duplicate members, and a version per
 * resource that grows with every change (the weak ETag {@code W/"n"}). All methods are atomic.
 */
final class ScimStore {

    /** A stored resource with its version and timestamps. */
    record Stored<T>(T value, long version, Instant created, Instant lastModified) {
        Stored<T> next(T newValue) {
            return new Stored<>(newValue, version + 1, created, Instant.now());
        }
    }

    private final Map<String, Stored<ScimUser>> users = new LinkedHashMap<>();
    private final Map<String, Stored<ScimGroup>> groups = new LinkedHashMap<>();

    synchronized Stored<ScimUser> createUser(ScimUser draft) {
        requireUniqueUserName(draft.userName(), null);
        ScimUser user = withId(draft, UUID.randomUUID().toString());
        Instant now = Instant.now();
        Stored<ScimUser> stored = new Stored<>(user, 1, now, now);
        users.put(user.id(), stored);
        return stored;
    }

    synchronized Optional<Stored<ScimUser>> user(String id) {
        return Optional.ofNullable(users.get(id));
    }

    synchronized List<Stored<ScimUser>> allUsers() {
        return new ArrayList<>(users.values());
    }

    synchronized Stored<ScimUser> replaceUser(String id, ScimUser replacement) {
        Stored<ScimUser> current = existing(users, id, "User");
        requireUniqueUserName(replacement.userName(), id);
        Stored<ScimUser> next = current.next(withId(replacement, id));
        users.put(id, next);
        return next;
    }

    /** Deletes a user and takes it out of every group it was a member of. */
    synchronized void deleteUser(String id) {
        existing(users, id, "User");
        users.remove(id);
        for (Stored<ScimGroup> stored : new ArrayList<>(groups.values())) {
            ScimGroup group = stored.value();
            if (group.memberIds().contains(id)) {
                Set<String> members = new LinkedHashSet<>(group.memberIds());
                members.remove(id);
                groups.put(group.id(), stored.next(withMembers(group, members)));
            }
        }
    }

    synchronized Stored<ScimGroup> createGroup(ScimGroup draft) {
        requireUniqueDisplayName(draft.displayName(), null);
        ScimGroup group = withMembers(draft, checkedMembers(draft.memberIds()));
        group = new ScimGroup(UUID.randomUUID().toString(), group.displayName(), group.externalId(),
                group.memberIds());
        Instant now = Instant.now();
        Stored<ScimGroup> stored = new Stored<>(group, 1, now, now);
        groups.put(group.id(), stored);
        return stored;
    }

    synchronized Optional<Stored<ScimGroup>> group(String id) {
        return Optional.ofNullable(groups.get(id));
    }

    synchronized List<Stored<ScimGroup>> allGroups() {
        return new ArrayList<>(groups.values());
    }

    /** Replaces a group; an unchanged group keeps its version. */
    synchronized Stored<ScimGroup> replaceGroup(String id, ScimGroup replacement) {
        Stored<ScimGroup> current = existing(groups, id, "Group");
        requireUniqueDisplayName(replacement.displayName(), id);
        ScimGroup group = new ScimGroup(id, replacement.displayName(), replacement.externalId(),
                checkedMembers(replacement.memberIds()));
        if (group.equals(current.value())) {
            return current;
        }
        Stored<ScimGroup> next = current.next(group);
        groups.put(id, next);
        return next;
    }

    synchronized void deleteGroup(String id) {
        existing(groups, id, "Group");
        groups.remove(id);
    }

    synchronized List<ScimUser> userSnapshot() {
        return users.values().stream().map(Stored::value).toList();
    }

    synchronized List<ScimGroup> groupSnapshot() {
        return groups.values().stream().map(Stored::value).toList();
    }

    /** Members as a set without duplicates, every one an existing user (400 invalidValue otherwise). */
    private Set<String> checkedMembers(Set<String> memberIds) {
        Set<String> members = new LinkedHashSet<>();
        for (String memberId : memberIds) {
            if (!users.containsKey(memberId)) {
                throw new BadRequestException("member '" + memberId + "' is not an existing user",
                        ScimType.RFC7644.INVALID_VALUE);
            }
            members.add(memberId);
        }
        return members;
    }

    private void requireUniqueUserName(String userName, String exceptId) {
        requireUnique(users, userName, ScimUser::userName, exceptId, "userName");
    }

    private void requireUniqueDisplayName(String displayName, String exceptId) {
        requireUnique(groups, displayName, ScimGroup::displayName, exceptId, "displayName");
    }

    private static <T> void requireUnique(Map<String, Stored<T>> resources, String name,
            Function<T, String> nameOf, String exceptId, String attribute) {
        if (name == null) {
            throw new BadRequestException("'" + attribute + "' is required", ScimType.RFC7644.INVALID_VALUE);
        }
        String wanted = name.toLowerCase(Locale.ROOT);
        for (Map.Entry<String, Stored<T>> entry : resources.entrySet()) {
            String other = nameOf.apply(entry.getValue().value());
            if (!entry.getKey().equals(exceptId) && other != null
                    && other.toLowerCase(Locale.ROOT).equals(wanted)) {
                throw new ConflictException("a resource with " + attribute + " '" + name + "' already exists",
                        ScimType.RFC7644.UNIQUENESS);
            }
        }
    }

    private static <T> Stored<T> existing(Map<String, Stored<T>> resources, String id, String type) {
        Stored<T> stored = resources.get(id);
        if (stored == null) {
            throw new ResourceNotFoundException(type + " '" + id + "' does not exist");
        }
        return stored;
    }

    private static ScimUser withId(ScimUser user, String id) {
        return new ScimUser(id, user.userName(), user.externalId(), user.active(), user.displayName(),
                user.emails());
    }

    private static ScimGroup withMembers(ScimGroup group, Set<String> members) {
        return new ScimGroup(group.id(), group.displayName(), group.externalId(), members);
    }
}
