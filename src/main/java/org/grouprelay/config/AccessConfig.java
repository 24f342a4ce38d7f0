package org.grouprelay.config;

import java.util.List;
import java.util.Set;

/**
 * The {@code directory.access} section: who may read and write what in the directory.
 *
 * @param engine which part of the server enforces access
 * @param rules  with {@link Engine#GROUPRELAY}: the grants, beyond the built-in ones (the admin may do everything, a bound
 *               account may read its own entry, anonymous sessions see the root DSE only); empty with {@link Engine#APACHEDS}
 */
public record AccessConfig(Engine engine, List<Rule> rules) {

    /** The attribute no one but the admin reads, compares or filters on, whatever the rules say. */
    public static final String PASSWORD = "userPassword";

    public AccessConfig {
        rules = List.copyOf(rules);
    }

    public enum Engine {
        /** grouprelay's own rules ({@link #rules}); ApacheDS's access-control subsystem is off. */
        GROUPRELAY,
        /** ApacheDS's X.500 access control: the prescriptiveACI subentries in the directory (as the bootstrap LDIF writes them). */
        APACHEDS
    }

    /** What a rule lets its accounts do below its subtree. */
    public enum Right {
        /** search, read and compare */
        READ,
        /** read, and add, modify, delete and rename entries */
        WRITE
    }

    /**
     * One grant.
     *
     * @param accounts bind DNs the rule is for
     * @param subtree  the entry the rule covers, with everything below it
     * @param right    read or write
     * @param hide     attributes the accounts never read, compare or filter on (they may still replace them, as Keycloak
     *                 sets passwords); {@code userPassword} is always among them
     * @param readOnly attributes the accounts may read but not add, change or remove
     */
    public record Rule(List<String> accounts, String subtree, Right right, Set<String> hide, Set<String> readOnly) {
        public Rule {
            accounts = List.copyOf(accounts);
            hide = Set.copyOf(hide);
            readOnly = Set.copyOf(readOnly);
        }
    }

    /**
     * The rules grouprelay ships, for a configuration without {@code directory.access}: the Keycloak service account of the
     * bootstrap LDIF ({@code uid=keycloak,ou=services,<suffix>}) reads and writes people and groups, never reads passwords,
     * and leaves the attributes of expiring memberships (which belong on groups) off people.
     */
    public static AccessConfig shipped(String suffix, String peopleDn, String groupsDn) {
        List<String> keycloak = List.of("uid=keycloak,ou=services," + suffix);
        return new AccessConfig(Engine.GROUPRELAY, List.of(
                new Rule(keycloak, peopleDn, Right.WRITE, Set.of(PASSWORD),
                        Set.of("grouprelayMembershipDays", "grouprelayMemberExpiry", "grouprelayNotifyDays")),
                new Rule(keycloak, groupsDn, Right.WRITE, Set.of(PASSWORD), Set.of())));
    }
}
