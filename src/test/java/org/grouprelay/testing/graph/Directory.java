package org.grouprelay.testing.graph;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.grouprelay.testing.graph.FakeGraph.Group;
import org.grouprelay.testing.graph.FakeGraph.Invitation;
import org.grouprelay.testing.graph.FakeGraph.User;

/** The tenant's state: users, groups with their members, invitations sent. Every method is atomic. */
final class Directory {

    private static final class GroupState {
        final String id;
        final String displayName;
        final Set<String> members = new LinkedHashSet<>();
        int replicationMisses;

        GroupState(String id, String displayName, int replicationMisses) {
            this.id = id;
            this.displayName = displayName;
            this.replicationMisses = replicationMisses;
        }
    }

    private final String tenantDomain;
    private final Map<String, User> users = new LinkedHashMap<>();
    private final Map<String, GroupState> groups = new LinkedHashMap<>();
    private final List<Invitation> invitations = new ArrayList<>();

    Directory(String tenantDomain) {
        this.tenantDomain = tenantDomain;
    }

    String tenantDomain() {
        return tenantDomain;
    }

    synchronized User addUser(String displayName, String mail, List<String> otherMails, String upn, String userType) {
        User user = new User(UUID.randomUUID().toString(), displayName, mail, otherMails, upn, userType);
        users.put(user.id(), user);
        return user;
    }

    synchronized Optional<User> user(String id) {
        return Optional.ofNullable(users.get(id));
    }

    synchronized List<User> users() {
        return List.copyOf(users.values());
    }

    synchronized Optional<User> userByMail(String mail) {
        return users.values().stream().filter(user -> user.mail() != null && user.mail().equalsIgnoreCase(mail))
                .findFirst();
    }

    synchronized void replaceUser(User user) {
        if (!users.containsKey(user.id())) {
            throw new NoSuchElementException("no user " + user.id());
        }
        users.put(user.id(), user);
    }

    synchronized Group addGroup(String displayName, int replicationMisses) {
        GroupState state = new GroupState(UUID.randomUUID().toString(), displayName, replicationMisses);
        groups.put(state.id, state);
        return new Group(state.id, displayName);
    }

    synchronized Optional<Group> group(String id) {
        return Optional.ofNullable(groups.get(id)).map(state -> new Group(state.id, state.displayName));
    }

    synchronized List<Group> groups() {
        return groups.values().stream().map(state -> new Group(state.id, state.displayName)).toList();
    }

    /** The member ids of a group, in the order they were added. */
    synchronized List<String> members(String groupId) {
        return List.copyOf(state(groupId).members);
    }

    /**
     * Whether the group answers as not yet replicated: counts one such answer down (docs "Add members",
     * note on replication delays for recently created groups).
     */
    synchronized boolean missesReplication(String groupId) {
        GroupState state = state(groupId);
        if (state.replicationMisses > 0) {
            state.replicationMisses--;
            return true;
        }
        return false;
    }

    synchronized boolean isMember(String groupId, String userId) {
        return state(groupId).members.contains(userId);
    }

    /** Adds all or none: false (nothing changed) when one of them is a member already. */
    synchronized boolean addMembers(String groupId, Collection<String> userIds) {
        GroupState state = state(groupId);
        if (userIds.stream().anyMatch(state.members::contains)) {
            return false;
        }
        state.members.addAll(userIds);
        return true;
    }

    synchronized boolean removeMember(String groupId, String userId) {
        return state(groupId).members.remove(userId);
    }

    synchronized Invitation invite(String email, String displayName, String redirectUrl, boolean sendMessage) {
        User guest = userByMail(email).orElseGet(() -> addUser(displayName == null ? email : displayName, email,
                List.of(), guestPrincipalName(email), "Guest"));
        Invitation invitation = new Invitation(email, redirectUrl, sendMessage, guest.id());
        invitations.add(invitation);
        return invitation;
    }

    synchronized List<Invitation> invitations() {
        return List.copyOf(invitations);
    }

    /** {@code alice@example.org} becomes {@code alice_example.org#EXT#@<tenant>.onmicrosoft.com}. */
    private String guestPrincipalName(String email) {
        return email.toLowerCase(Locale.ROOT).replace('@', '_') + "#EXT#@" + tenantDomain;
    }

    private GroupState state(String groupId) {
        GroupState state = groups.get(groupId);
        if (state == null) {
            throw new NoSuchElementException("no group " + groupId);
        }
        return state;
    }
}
