package org.grouprelay.reconcile;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import org.apache.directory.api.ldap.model.entry.Attribute;
import org.apache.directory.api.ldap.model.entry.Entry;
import org.apache.directory.api.ldap.model.entry.Value;
import org.apache.directory.api.ldap.model.exception.LdapException;
import org.grouprelay.membership.MembershipRules;
import org.grouprelay.membership.GroupMembers;
import org.grouprelay.membership.Scope;
import org.grouprelay.change.GroupRef;
import org.grouprelay.change.UserRef;

/** The directory read in two searches: every managed group with its members, every user with its mapping attributes. */
record DirectorySnapshot(Map<String, GroupMembers> groups, Map<String, UserRef> users) {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(DirectorySnapshot.class);

    static DirectorySnapshot read(DirectorySource source, Scope scope, MembershipRules settings) throws LdapException {
        return read(source, scope, settings, SPLIT_ABOVE);
    }

    /** As {@link #read(DirectorySource, Scope, MembershipRules)}, reading people in two halves above {@code splitAbove} of them. */
    static DirectorySnapshot read(DirectorySource source, Scope scope, MembershipRules settings, long splitAbove) throws LdapException {
        Norms norms = new Norms(scope);
        // people are read on a second thread (and connection) while the groups are read here
        FutureTask<Map<String, UserRef>> people = new FutureTask<>(() -> users(source, norms, settings, splitAbove));
        Thread reader = new Thread(people, "grouprelay-check-people");
        reader.setDaemon(true);
        reader.start();
        Map<String, GroupMembers> groups = new LinkedHashMap<>();
        LdapException[] failure = new LdapException[1];
        try {
            source.search(settings.groupsDn(), "(objectClass=groupOfNames)", List.of("entryUUID", "cn", "member"), entry -> {
                try {
                    groups.put(norms.of(entry.getDn().getName()).norm(), group(entry, norms));
                } catch (LdapException e) {
                    failure[0] = e;
                }
            });
        } catch (LdapException | RuntimeException e) {
            people.cancel(true);
            throw e;
        }
        if (failure[0] != null) {
            people.cancel(true);
            throw failure[0];
        }
        return new DirectorySnapshot(groups, await(people, settings.peopleDn()));
    }

    /**
     * Halves of the entries by {@code entryUUID} (random, so the halves are even; lexicographic order, so they meet
     * exactly): ApacheDS answers each from its entryUUID index, and reads each on its own thread. A search costs ApacheDS
     * about 0.2 ms per entry on one thread, so with many users two halves finish in about half the time.
     */
    static final List<String> HALVES = List.of("(entryUUID<=7fffffff-ffff-ffff-ffff-ffffffffffff)",
            "(entryUUID>=80000000-0000-0000-0000-000000000000)");

    /** Below this many entries the people are read in one search. */
    static final long SPLIT_ABOVE = 5_000;

    private static Map<String, UserRef> users(DirectorySource source, Norms norms, MembershipRules settings, long splitAbove)
            throws LdapException {
        long expected = source.subordinates(settings.peopleDn());
        if (expected > splitAbove) {
            FutureTask<People> second = new FutureTask<>(() -> people(source, norms, settings, HALVES.get(1)));
            Thread reader = new Thread(second, "grouprelay-check-people-2");
            reader.setDaemon(true);
            reader.start();
            People first;
            try {
                first = people(source, norms, settings, HALVES.get(0));
            } catch (LdapException | RuntimeException e) {
                second.cancel(true);
                throw e;
            }
            People other = await(second, settings.peopleDn());
            // the base entry is read too; a count that differs (an entry without entryUUID, a write in between) reads again
            if (first.entries() + other.entries() == expected + 1) {
                first.users().putAll(other.users());
                return first.users();
            }
            log.warn("reading {} in two halves gave {} entries, the directory counts {}; reading it again in one search",
                    settings.peopleDn(), first.entries() + other.entries(), expected + 1);
        }
        return people(source, norms, settings, "(objectClass=*)").users();
    }

    /** The users a search found, and how many entries it returned. */
    private record People(Map<String, UserRef> users, long entries) {
    }

    private static People people(DirectorySource source, Norms norms, MembershipRules settings, String filter) throws LdapException {
        Map<String, UserRef> users = new HashMap<>();
        List<String> attributes = settings.userAttributes();
        LdapException[] failure = new LdapException[1];
        long[] entries = new long[1];
        source.search(settings.peopleDn(), filter, attributes, entry -> {
            entries[0]++;
            try {
                Norm dn = norms.of(entry.getDn().getName());
                users.put(dn.norm(), user(dn.raw(), entry, attributes));
            } catch (LdapException e) {
                failure[0] = e;
            }
        });
        if (failure[0] != null) {
            throw failure[0];
        }
        return new People(users, entries[0]);
    }

    private static <T> T await(FutureTask<T> task, String base) throws LdapException {
        try {
            return task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LdapException("interrupted while reading " + base, e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof LdapException ldap ? ldap : new LdapException("reading " + base + ": "
                    + e.getCause().getMessage(), e.getCause());
        }
    }

    private static GroupMembers group(Entry entry, Norms norms) throws LdapException {
        Map<String, String> members = new LinkedHashMap<>();
        Attribute member = entry.get("member");
        if (member != null) {
            for (Value value : member) {
                Norm norm = norms.of(value.getString());
                members.put(norm.norm(), norm.raw());
            }
        }
        String name = entry.getDn().getRdn().getType().equalsIgnoreCase("cn") || entry.getDn().getRdn().getType().equals("2.5.4.3")
                ? entry.getDn().getRdn().getValue() : entry.get("cn").getString();
        return new GroupMembers(new GroupRef(entry.get("entryUUID").getString(), entry.getDn().getName(), name), members);
    }

    private static UserRef user(String dn, Entry entry, List<String> attributes) throws LdapException {
        Map<String, String> snapshot = new HashMap<>();
        for (String name : attributes) {
            Attribute attribute = entry.get(name);
            if (attribute != null && attribute.get() != null) {
                snapshot.put(name.toLowerCase(Locale.ROOT), attribute.getString());
            }
        }
        return new UserRef(dn, snapshot);
    }

    /** A DN as written and in normalized form. */
    private record Norm(String raw, String norm) {
    }

    /**
     * Normalizing DNs is most of the check's own work, and a user's DN is a member value of many
     * groups: each distinct value is normalized once, and every group shares the same two strings.
     */
    private static final class Norms {
        private final Scope scope;
        private final Map<String, Norm> seen = new ConcurrentHashMap<>();

        Norms(Scope scope) {
            this.scope = scope;
        }

        Norm of(String raw) throws LdapException {
            Norm norm = seen.get(raw);
            if (norm == null) {
                Norm fresh = new Norm(raw, scope.norm(raw));
                norm = seen.putIfAbsent(raw, fresh);
                return norm == null ? fresh : norm;
            }
            return norm;
        }
    }
}
