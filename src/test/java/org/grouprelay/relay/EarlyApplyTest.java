package org.grouprelay.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.grouprelay.relay.OutboxTest.DEVS;
import static org.grouprelay.relay.OutboxTest.ORIGIN;
import static org.grouprelay.relay.OutboxTest.add;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.grouprelay.change.ChangeSet;
import org.grouprelay.change.ChangeSink;
import org.grouprelay.change.GroupRef;
import org.grouprelay.change.UserRef;
import org.grouprelay.config.RelayMode;
import org.grouprelay.mapping.Accounts;
import org.grouprelay.targets.Snapshot;
import org.grouprelay.targets.Target;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With a transactional target, the relay starts applying a change while the directory still commits it, and
 * the target's transaction commits only after the directory's verdict: a refused operation leaves nothing.
 * (The real SQL target is exercised by SqlRelayIT, BadInputIT and the crash tests; this pins down the order.)
 */
class EarlyApplyTest {
    @TempDir
    Path dir;
    final Ledger ledger = new Ledger();
    Relay relay;

    @BeforeEach
    void start() throws Exception {
        relay = new Relay("seafile", "Seafile", ledger, new AuditLog(dir.resolve("audit.jsonl")), dir, RelayMode.RELAY,
                Duration.ofSeconds(5), Clock.systemUTC(), new SimpleMeterRegistry()).start(uuid -> Optional.empty());
    }

    @AfterEach
    void stop() {
        relay.close();
    }

    @Test
    void theChangeIsAppliedBeforeTheDirectoryCommitsAndCommittedOnlyAfter() throws Exception {
        ChangeSink.Intent intent = relay.prepare(new ChangeSet(ORIGIN, List.of(add(DEVS, "alice")), List.of()));
        ledger.applied.get(10, TimeUnit.SECONDS); // applied while the directory has not decided
        assertThat(ledger.events).containsExactly("add alice");
        CompletableFuture<Void> reply = intent.committed().toCompletableFuture();
        reply.get(10, TimeUnit.SECONDS);
        assertThat(ledger.events).containsExactly("add alice", "commit");
    }

    @Test
    void aChangeTheDirectoryRefusedIsRolledBackAndTheGroupTakesItsNextChange() throws Exception {
        ChangeSink.Intent refused = relay.prepare(new ChangeSet(ORIGIN, List.of(add(DEVS, "alice")), List.of()));
        ledger.applied.get(10, TimeUnit.SECONDS);
        refused.aborted();
        ChangeSink.Intent next = relay.prepare(new ChangeSet(ORIGIN, List.of(add(DEVS, "bob")), List.of()));
        next.committed().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(ledger.events).containsExactly("add alice", "rollback", "add bob", "commit");
        assertThat(relay.outboxDepth()).isZero();
    }

    /** A transactional target that records what its sessions do, in order. */
    static final class Ledger implements Target {
        final List<String> events = new CopyOnWriteArrayList<>();
        final CompletableFuture<Void> applied = new CompletableFuture<>();

        @Override
        public boolean transactional() {
            return true;
        }

        @Override
        public Accounts accounts() {
            return new Accounts() {
                @Override
                public Map<UserRef, String> find(List<UserRef> users) {
                    Map<UserRef, String> ids = new HashMap<>();
                    users.forEach(u -> ids.put(u, u.attribute("mail").orElseThrow().replace("@example.org", "")));
                    return ids;
                }

                @Override
                public long watermark() {
                    return 0;
                }

                @Override
                public String describe() {
                    return "[mail]";
                }

                @Override
                public List<String> attributes() {
                    return List.of("mail");
                }
            };
        }

        @Override
        public Session begin() {
            return new Session() {
                boolean done;

                @Override
                public Optional<String> linkedGroup(GroupRef group) {
                    return Optional.of("1");
                }

                @Override
                public GroupLink ensureGroup(GroupRef group) {
                    return new GroupLink("1", GroupLink.How.EXISTING);
                }

                @Override
                public void renameGroup(String groupId, GroupRef group) {
                }

                @Override
                public void deleteGroup(GroupRef group) {
                }

                @Override
                public Set<String> members(String groupId) {
                    return Set.of();
                }

                @Override
                public void addMembers(String groupId, Collection<String> userIds) {
                    userIds.forEach(u -> events.add("add " + u));
                    applied.complete(null);
                }

                @Override
                public RemoveResult removeMembers(String groupId, Collection<String> userIds) {
                    return new RemoveResult(List.of());
                }

                @Override
                public void commit() {
                    events.add("commit");
                    done = true;
                }

                @Override
                public void rollback() {
                    if (!done) {
                        events.add("rollback");
                        done = true;
                    }
                }

                @Override
                public void close() {
                    rollback();
                }
            };
        }

        @Override
        public void probe() {
        }

        @Override
        public Snapshot snapshot() {
            return new Snapshot(Map.of(), Map.of());
        }

        @Override
        public void prepare() {
        }

        @Override
        public String describe() {
            return "ledger";
        }

        @Override
        public void close() {
        }
    }
}
