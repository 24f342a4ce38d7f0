package org.grouprelay.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The state of the fake Seafile and the rules seahub's admin API applies to it (see
 * reference/seafile.md §3): name validation and uniqueness, the owner as a member with role Owner,
 * lower-cased ids, members in insertion order, groups listed newest first.
 */
public final class SeafileState {
    /** seahub's validate_group_name: {@code ^[()（）\w\s'.-]+$} with Python's Unicode \w, at most 255 characters. */
    static final Pattern VALID_NAME = Pattern.compile("[()（）\\p{L}\\p{N}_\\p{IsWhite_Space}'.\\-]+");
    static final String NAME_RULE = "Name can only contain letters, numbers, spaces, hyphen, dot, single quote, brackets or underscore.";

    public record User(String email, String contactEmail, boolean ldapImport, List<SocialAuth> socialAuth) {
    }

    public record SocialAuth(String provider, String uid) {
    }

    public record Group(long id, String name, String owner, long created) {
    }

    /** A rule of the API was broken: the HTTP status and seahub's error message. */
    static final class Refused extends Exception {
        final int status;

        Refused(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    private final Map<String, User> users = new LinkedHashMap<>();
    private final TreeMap<Long, Group> groups = new TreeMap<>();
    private final Map<Long, LinkedHashMap<String, String>> members = new LinkedHashMap<>();
    private long nextId = 1;
    private long clock = 1;

    public synchronized void addUser(String email, String contactEmail) {
        users.put(email.toLowerCase(Locale.ROOT), new User(email.toLowerCase(Locale.ROOT), contactEmail, false, new ArrayList<>()));
    }

    public synchronized void addLdapUser(String email) {
        users.put(email.toLowerCase(Locale.ROOT), new User(email.toLowerCase(Locale.ROOT), null, true, new ArrayList<>()));
    }

    public synchronized void addSocialAuth(String email, String provider, String uid) {
        users.get(email.toLowerCase(Locale.ROOT)).socialAuth().add(new SocialAuth(provider, uid));
    }

    public synchronized List<User> users() {
        return List.copyOf(users.values());
    }

    synchronized Optional<User> user(String email) {
        return Optional.ofNullable(users.get(email.toLowerCase(Locale.ROOT)));
    }

    public synchronized List<Group> groups() {
        return List.copyOf(groups.values());
    }

    public synchronized Optional<Group> group(long id) {
        return Optional.ofNullable(groups.get(id));
    }

    /** Newest first, as ccnet's ORDER BY timestamp DESC. */
    synchronized List<Group> newestFirst() {
        List<Group> all = new ArrayList<>(groups.values());
        all.sort((a, b) -> Long.compare(b.created(), a.created()));
        return all;
    }

    /** Member ids in insertion order (the owner first). */
    public synchronized List<String> members(long id) {
        return List.copyOf(members.getOrDefault(id, new LinkedHashMap<>()).keySet());
    }

    synchronized Map<String, String> roles(long id) {
        return Map.copyOf(members.getOrDefault(id, new LinkedHashMap<>()));
    }

    /** POST /admin/groups/: the name is stripped, validated and must be unique. */
    synchronized Group create(String rawName, String owner) throws Refused {
        if (rawName == null || rawName.isBlank()) {
            throw new Refused(400, "group_name  invalid.");
        }
        String name = rawName.strip();
        checkName(name, -1);
        User user = user(owner).orElseThrow(() -> new Refused(404, "User " + owner + " not found."));
        Group group = new Group(nextId++, name, user.email(), clock++);
        groups.put(group.id(), group);
        LinkedHashMap<String, String> rows = new LinkedHashMap<>();
        rows.put(user.email(), "Owner");
        members.put(group.id(), rows);
        return group;
    }

    /** PUT name: not stripped; a name any group has (this one too) is refused, as older seahubs do. */
    synchronized Group rename(long id, String name) throws Refused {
        Group group = existing(id);
        checkName(name, -1);
        Group renamed = new Group(id, name, group.owner(), group.created());
        groups.put(id, renamed);
        return renamed;
    }

    /** PUT new_owner: the new owner becomes a member if needed; the old one stays as a plain member. */
    synchronized Group transfer(long id, String newOwner) throws Refused {
        Group group = existing(id);
        User user = user(newOwner).orElseThrow(() -> new Refused(404, "User " + newOwner + " not found."));
        if (user.email().equals(group.owner())) {
            throw new Refused(400, "User " + newOwner + " is already group owner.");
        }
        LinkedHashMap<String, String> rows = members.get(id);
        rows.put(group.owner(), "Member");
        rows.put(user.email(), "Owner");
        Group moved = new Group(id, group.name(), user.email(), group.created());
        groups.put(id, moved);
        return moved;
    }

    /** Always succeeds, whether or not the group exists. */
    public synchronized void delete(long id) {
        groups.remove(id);
        members.remove(id);
    }

    /** Adds one member: {@code null} on success, else the entry for {@code failed}. */
    synchronized String addMember(long id, String email) throws Refused {
        existing(id);
        Optional<User> user = user(email);
        if (user.isEmpty()) {
            return "User " + email + " not found.";
        }
        LinkedHashMap<String, String> rows = members.get(id);
        if (rows.containsKey(user.get().email())) {
            return "User " + user.get().email().split("@")[0] + " is already a group member.";
        }
        rows.put(user.get().email(), "Member");
        return null;
    }

    /** DELETE member: not a member is fine; the owner cannot be removed (403). */
    synchronized void removeMember(long id, String email) throws Refused {
        Group group = existing(id);
        String lower = email.toLowerCase(Locale.ROOT);
        if (lower.equals(group.owner())) {
            throw new Refused(403, email + " is group owner, can not be removed.");
        }
        members.get(id).remove(lower);
    }

    synchronized Group existing(long id) throws Refused {
        Group group = groups.get(id);
        if (group == null) {
            throw new Refused(404, "Group " + id + " not found.");
        }
        return group;
    }

    private void checkName(String name, long except) throws Refused {
        if (name.codePointCount(0, name.length()) > 255 || !VALID_NAME.matcher(name).matches()) {
            throw new Refused(400, NAME_RULE);
        }
        for (Group g : groups.values()) {
            if (g.name().equals(name) && g.id() != except) {
                throw new Refused(400, "There is already a group with that name.");
            }
        }
    }

    /** A group made in Seafile's web UI, not by grouprelay. */
    public synchronized long createByHand(String name, String owner) {
        try {
            return create(name, owner).id();
        } catch (Refused e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }

    public synchronized void addMemberByHand(long id, String email) {
        members.get(id).put(email.toLowerCase(Locale.ROOT), "Member");
    }

    public synchronized void transferByHand(long id, String owner) {
        try {
            transfer(id, owner);
        } catch (Refused e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }

    public synchronized void renameByHand(long id, String name) {
        Group g = groups.get(id);
        groups.put(id, new Group(id, name, g.owner(), g.created()));
    }

    public synchronized void clear() {
        users.clear();
        groups.clear();
        members.clear();
    }
}
