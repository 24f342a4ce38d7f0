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

    static DirectorySnapshot read(DirectorySource source, Scope scope, MembershipRules settings) throws LdapException {
        Norms norms = new Norms(scope);
        // people are read on a second thread (and connection) while the groups are read here
        FutureTask<Map<String, UserRef>> people = new FutureTask<>(() -> users(source, norms, settings));
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
        try {
            return new DirectorySnapshot(groups, people.get());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LdapException("interrupted while reading " + settings.peopleDn(), e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof LdapException ldap ? ldap : new LdapException("reading " + settings.peopleDn() + ": "
                    + e.getCause().getMessage(), e.getCause());
        }
    }

    private static Map<String, UserRef> users(DirectorySource source, Norms norms, MembershipRules settings) throws LdapException {
        Map<String, UserRef> users = new HashMap<>();
        List<String> attributes = settings.userAttributes();
        LdapException[] failure = new LdapException[1];
        source.search(settings.peopleDn(), "(objectClass=*)", attributes, entry -> {
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
        return users;
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
