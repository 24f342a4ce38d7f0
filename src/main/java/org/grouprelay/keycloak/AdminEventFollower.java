package org.grouprelay.keycloak;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.directory.api.ldap.model.exception.LdapException;
import org.grouprelay.config.KeycloakConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows a realm's admin events and mirrors what Keycloak's LDAP group mapper (mode {@code LDAP_ONLY})
 * never writes: group rename (modDN), move (the parents' {@code member} values) and delete (the group and
 * its subgroups), and the group attribute {@code membershipExpirationDays} as {@code grouprelayMembershipDays}. Keycloak group ids are mapped to directory groups by name, which is how the mapper names
 * them ({@code cn=<name>,<groupsDn>}); the map and the last applied event are kept in
 * {@code dataDir/keycloak-events.json}. Polls every {@code keycloak.pollSeconds} on one thread.
 */
public final class AdminEventFollower implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AdminEventFollower.class);

    private final RealmEvents realm;
    private final DirectoryGroups directory;
    private final FollowerStateFile file;
    private final String describe;
    private final ScheduledExecutorService executor;
    private FollowerState state;
    private String lastProblem;

    public AdminEventFollower(RealmEvents realm, DirectoryGroups directory, java.nio.file.Path dataDir, String describe) {
        this.realm = realm;
        this.directory = directory;
        this.file = new FollowerStateFile(dataDir);
        this.describe = describe;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "grouprelay-keycloak-events");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Follows {@code config}'s realm, changing {@code directory}, from now on until closed. */
    public static AdminEventFollower start(KeycloakConfig config, DirectoryGroups directory, java.nio.file.Path dataDir, Clock clock) {
        KeycloakHttp http = new KeycloakHttp(config.url(),
                KeycloakHttp.TokenGrant.clientCredentials(config.realm(), config.clientId(), config.clientSecret().reveal()), clock);
        AdminEventFollower follower = new AdminEventFollower(new RealmEvents(http, config.realm()), directory, dataDir,
                "realm " + config.realm() + " at " + config.url());
        follower.schedule(config.poll());
        log.info("following Keycloak's admin events of {} every {} s (group rename, move, delete, membershipExpirationDays)", follower.describe,
                config.poll().toSeconds());
        return follower;
    }

    private void schedule(Duration poll) {
        executor.scheduleWithFixedDelay(this::pollQuietly, 0, poll.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void pollQuietly() {
        try {
            int applied = poll();
            if (lastProblem != null) {
                log.info("Keycloak admin events: reading {} again", describe);
                lastProblem = null;
            }
            if (applied > 0) {
                log.debug("Keycloak admin events: {} group event(s) applied", applied);
            }
        } catch (KeycloakException | IOException e) {
            problem(e.getMessage());
        } catch (RuntimeException e) {
            problem("unexpected failure: " + e);
            log.debug("failure", e);
        }
    }

    private void problem(String message) {
        if (!message.equals(lastProblem)) {
            log.warn("Keycloak admin events: {}; retrying every poll", message);
            lastProblem = message;
        }
    }

    /** Reads and applies the events since the last applied one; returns how many group events it applied. */
    synchronized int poll() throws KeycloakException, IOException {
        if (state == null) {
            state = file.load().orElse(null);
            if (state == null) {
                // events first: a group created between the two reads is then both listed and replayed (harmless)
                List<AdminEvent> newest = realm.newestGroupEvents();
                state = FollowerState.initial(realm.groups(), newest);
                file.save(state);
                log.info("Keycloak admin events: first start, {} group(s) of {} known; following events from now on",
                        state.groups().size(), describe);
            }
        }
        int applied = 0;
        List<AdminEvent> events = realm.groupEventsSince(state.lastTime());
        for (AdminEvent event : events) {
            if (state.isApplied(event)) {
                continue;
            }
            Map<String, KeycloakGroup> groups = new LinkedHashMap<>(state.groups());
            Optional<GroupEvent> groupEvent = GroupEvent.of(event);
            if (groupEvent.isPresent()) {
                apply(groupEvent.get(), groups);
                applied++;
            }
            state = state.after(event, groups);
            file.save(state);
        }
        return applied;
    }

    private void apply(GroupEvent event, Map<String, KeycloakGroup> groups) {
        try {
            if (event instanceof GroupEvent.Created created) {
                groups.put(created.id(), new KeycloakGroup(created.id(), created.name(), created.parentId()));
            } else if (event instanceof GroupEvent.Renamed renamed) {
                renamed(renamed, groups);
            } else if (event instanceof GroupEvent.Moved moved) {
                moved(moved, groups);
            } else if (event instanceof GroupEvent.Deleted deleted) {
                deleted(deleted, groups);
            }
        } catch (LdapException | RuntimeException e) {
            log.error("Keycloak admin events: could not apply {} to the directory: {}; do it by hand (ldapmodrdn, ldapmodify, ldapdelete)",
                    event, e.getMessage());
        }
    }

    private void renamed(GroupEvent.Renamed event, Map<String, KeycloakGroup> groups) throws LdapException {
        KeycloakGroup old = groups.get(event.id());
        if (old == null) {
            log.warn("Keycloak admin events: group {} renamed to '{}' is not one grouprelay knows; if the directory has its old name, rename it by hand",
                    event.id(), event.name());
            groups.put(event.id(), new KeycloakGroup(event.id(), event.name(), null));
            return;
        }
        groups.put(event.id(), new KeycloakGroup(old.id(), event.name(), old.parentId()));
        switch (directory.rename(old.name(), event.name())) {
            case DONE -> log.info("Keycloak renamed group '{}' to '{}': {} renamed", old.name(), event.name(), directory.dn(old.name()));
            case NAME_TAKEN -> log.error("Keycloak renamed group '{}' to '{}', but the directory already has {}; merge or remove one of"
                    + " {} and {} by hand", old.name(), event.name(), directory.dn(event.name()), directory.dn(old.name()), directory.dn(event.name()));
            case NOT_IN_DIRECTORY -> log.info("Keycloak renamed group '{}' to '{}': not in the directory yet (it has had no member)",
                    old.name(), event.name());
            case NOTHING_TO_DO -> { }
        }
        if (event.attributes().isPresent()) {
            membershipDays(event.name(), event.attributes().get());
        }
    }

    /** Keycloak's group attribute {@code membershipExpirationDays} becomes the directory group's {@code grouprelayMembershipDays}. */
    private void membershipDays(String name, GroupEvent.Attributes attributes) throws LdapException {
        Optional<Integer> days = Optional.empty();
        if (attributes.membershipExpirationDays().isPresent()) {
            String raw = attributes.membershipExpirationDays().get();
            try {
                days = Optional.of(Integer.parseInt(raw));
            } catch (NumberFormatException e) {
                days = Optional.of(0);
            }
            if (days.get() <= 0) {
                log.warn("Keycloak group '{}': attribute {} '{}' is not a number of days above 0; the directory group keeps its lifetime",
                        name, GroupEvent.Attributes.MEMBERSHIP_EXPIRATION_DAYS, raw);
                return;
            }
        }
        Optional<Integer> set = days;
        switch (directory.membershipDays(name, days)) {
            case DONE -> log.info("Keycloak group '{}': {} {} → grouprelayMembershipDays {} on {}", name,
                    GroupEvent.Attributes.MEMBERSHIP_EXPIRATION_DAYS, set.map(String::valueOf).orElse("removed"),
                    set.map(String::valueOf).orElse("removed"), directory.dn(name));
            case NOT_IN_DIRECTORY -> log.warn("Keycloak group '{}': {} not applied, the group is not in the directory yet (it has had no"
                    + " member); save the group's attributes in Keycloak again after its first member", name,
                    GroupEvent.Attributes.MEMBERSHIP_EXPIRATION_DAYS);
            case NAME_TAKEN, NOTHING_TO_DO -> { }
        }
    }

    private void moved(GroupEvent.Moved event, Map<String, KeycloakGroup> groups) throws LdapException {
        KeycloakGroup old = groups.get(event.id());
        String name = old != null ? old.name() : event.name();
        String oldParent = old == null || old.parentId() == null ? null : nameOf(groups, old.parentId());
        String newParent = event.parentId() == null ? null : nameOf(groups, event.parentId());
        groups.put(event.id(), new KeycloakGroup(event.id(), name, event.parentId()));
        if (old != null && java.util.Objects.equals(old.parentId(), event.parentId())) {
            return;
        }
        if (oldParent != null) {
            directory.unlink(name, oldParent);
        }
        DirectoryGroups.Outcome linked = newParent == null ? DirectoryGroups.Outcome.NOTHING_TO_DO : directory.link(name, newParent);
        log.info("Keycloak moved group '{}' from {} to {}: {}", name, oldParent == null ? "the top" : "'" + oldParent + "'",
                newParent == null ? "the top" : "'" + newParent + "'",
                linked == DirectoryGroups.Outcome.NOT_IN_DIRECTORY ? "not in the directory yet" : "parents' member values updated");
    }

    private void deleted(GroupEvent.Deleted event, Map<String, KeycloakGroup> groups) throws LdapException {
        List<KeycloakGroup> subtree = state.subtree(event.id());
        if (subtree.isEmpty()) {
            log.warn("Keycloak admin events: deleted group {} is not one grouprelay knows; if the directory has it, delete it by hand",
                    event.id());
            return;
        }
        for (KeycloakGroup group : subtree) {
            groups.remove(group.id());
            DirectoryGroups.Outcome outcome = directory.delete(group.name());
            log.info("Keycloak deleted group '{}': {}", group.name(),
                    outcome == DirectoryGroups.Outcome.DONE ? directory.dn(group.name()) + " deleted" : "not in the directory");
        }
    }

    private static String nameOf(Map<String, KeycloakGroup> groups, String id) {
        KeycloakGroup group = groups.get(id);
        return group == null ? null : group.name();
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
