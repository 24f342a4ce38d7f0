package org.grouprelay.relay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.grouprelay.change.GroupChange;
import org.grouprelay.change.GroupRef;
import org.grouprelay.change.Origin;
import org.grouprelay.change.UserRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutboxTest {
    static final GroupRef DEVS = new GroupRef("uuid-devs", "cn=devs,ou=groups,dc=example,dc=org", "devs");
    static final GroupRef OPS = new GroupRef("uuid-ops", "cn=ops,ou=groups,dc=example,dc=org", "ops");
    static final Origin ORIGIN = new Origin("modify", DEVS.dn(), "uid=admin,ou=system");

    @TempDir
    Path dir;

    Outbox open() throws Exception {
        return new Outbox(dir.resolve("outbox.jsonl"), Clock.systemUTC(), new ObjectMapper());
    }

    static GroupChange add(GroupRef group, String user) {
        return new GroupChange.MemberAdded(group, List.of(new UserRef("uid=" + user + ",ou=people,dc=example,dc=org", Map.of("mail", user + "@example.org"))));
    }

    @Test
    void queuedChangesSurviveAReopenInOrderAndDoneOnesDoNot() throws Exception {
        try (Outbox outbox = open()) {
            List<Outbox.Item> items = outbox.add(ORIGIN, List.of(add(DEVS, "alice"), add(DEVS, "bob"), add(OPS, "carol")));
            assertThat(outbox.claim(DEVS.uuid())).contains(items.get(0));
            outbox.done(items.get(0));
        }
        try (Outbox outbox = open()) {
            assertThat(outbox.depth()).isEqualTo(2);
            List<Outbox.Item> ready = outbox.claimReady();
            assertThat(ready).extracting(i -> i.change).containsExactlyInAnyOrder(add(DEVS, "bob"), add(OPS, "carol"));
        }
    }

    @Test
    void aGroupsSecondChangeWaitsForTheFirstWhileOtherGroupsGoOn() throws Exception {
        try (Outbox outbox = open()) {
            List<Outbox.Item> items = outbox.add(ORIGIN, List.of(add(DEVS, "alice"), add(DEVS, "bob"), add(OPS, "carol")));
            assertThat(outbox.claimReady()).containsExactly(items.get(0), items.get(2));
            assertThat(outbox.claimReady()).isEmpty(); // both groups busy
            assertThat(outbox.backlogAhead(items.get(1))).isZero(); // alice is being applied, not failed: bob's client waits
            outbox.retryLater(items.get(0), Duration.ofHours(1));
            outbox.done(items.get(2));
            assertThat(outbox.claimReady()).isEmpty(); // devs waits for its backoff, bob stays behind alice
            assertThat(outbox.backlogAhead(items.get(1))).isEqualTo(1);
        }
    }

    @Test
    void aTornLineAtTheTailIsSkippedAndTheIntactEntriesAreKept() throws Exception {
        try (Outbox outbox = open()) {
            outbox.add(ORIGIN, List.of(add(DEVS, "alice"), add(DEVS, "bob")));
        }
        Path file = dir.resolve("outbox.jsonl");
        // a crash in the middle of a write leaves half a line
        Files.writeString(file, "{\"seq\":3,\"state\":\"queued\",\"origin\":{\"operation\":\"mod", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        try (Outbox outbox = open()) {
            assertThat(outbox.depth()).isEqualTo(2);
            List<Outbox.Item> items = outbox.add(ORIGIN, List.of(add(OPS, "carol")));
            assertThat(items.get(0).seq).isGreaterThan(2);
        }
        try (Outbox outbox = open()) {
            assertThat(outbox.depth()).isEqualTo(3);
        }
    }

    @Test
    void anIntentHoldsItsGroupUntilTheDirectoryCommittedAndLeavesIfItRefused() throws Exception {
        try (Outbox outbox = open()) {
            Outbox.Intended intended = outbox.intend(ORIGIN, List.of(add(DEVS, "alice")));
            intended.durable().get(10, java.util.concurrent.TimeUnit.SECONDS); // synced on the outbox's own thread
            List<Outbox.Item> refused = intended.items();
            List<Outbox.Item> other = outbox.add(ORIGIN, List.of(add(OPS, "carol")));
            assertThat(outbox.claimReady()).containsExactly(other.get(0)); // devs waits for the directory's verdict
            outbox.abort(refused);
            List<Outbox.Item> committed = outbox.intend(ORIGIN, List.of(add(DEVS, "bob"))).items();
            assertThat(outbox.claim(DEVS.uuid())).isEmpty();
            outbox.commit(committed);
            assertThat(outbox.claim(DEVS.uuid())).contains(committed.get(0));
        }
        try (Outbox outbox = open()) {
            // the refused intent is gone; the committed one and carol's are still to apply
            assertThat(outbox.claimReady()).extracting(i -> i.change).containsExactlyInAnyOrder(add(DEVS, "bob"), add(OPS, "carol"));
        }
    }

    @Test
    void anIntentACrashLeftUnconfirmedBecomesOneResyncOfItsGroupInItsPlace() throws Exception {
        try (Outbox outbox = open()) {
            outbox.commit(outbox.intend(ORIGIN, List.of(add(DEVS, "alice"))).items());
            outbox.intend(ORIGIN, List.of(add(DEVS, "bob"), add(DEVS, "carol"), add(OPS, "dave"))).items(); // the process dies here
        }
        try (Outbox outbox = open()) {
            assertThat(outbox.depth()).isEqualTo(3);
            Outbox.Item first = outbox.claim(DEVS.uuid()).orElseThrow();
            assertThat(first.change).isEqualTo(add(DEVS, "alice"));
            outbox.done(first);
            assertThat(outbox.claim(DEVS.uuid()).orElseThrow().change).isEqualTo(new GroupChange.GroupResync(DEVS));
            assertThat(outbox.claim(OPS.uuid()).orElseThrow().change).isEqualTo(new GroupChange.GroupResync(OPS));
        }
        try (Outbox outbox = open()) {
            // settled on the first reopen: the resyncs are ordinary queued changes now, not resolved again
            assertThat(outbox.depth()).isEqualTo(2);
        }
    }

    @Test
    void aReaderBesideTheRelaySeesTheBacklogWithoutChangingTheFile() throws Exception {
        try (Outbox outbox = open()) {
            outbox.commit(outbox.intend(ORIGIN, List.of(add(DEVS, "alice"), add(OPS, "carol"))).items());
            outbox.intend(ORIGIN, List.of(add(DEVS, "bob"))).items();
            String before = Files.readString(dir.resolve(OutboxLine.FILE));
            OutboxLine.Backlog backlog = OutboxLine.backlog(dir);
            assertThat(backlog.depth()).isEqualTo(3);
            assertThat(backlog.oldest()).isPresent();
            assertThat(Files.readString(dir.resolve(OutboxLine.FILE))).isEqualTo(before);
        }
    }

    @Test
    void underASteadyLoadTheFileIsCompactedToWhatIsStillOpen() throws Exception {
        Path file = dir.resolve(OutboxLine.FILE);
        try (Outbox outbox = open()) {
            List<Outbox.Item> waiting = outbox.intend(ORIGIN, List.of(add(OPS, "carol"))).items(); // never confirmed: stays open
            for (int i = 0; i < 1_100; i++) {
                List<Outbox.Item> items = outbox.intend(ORIGIN, List.of(add(DEVS, "user" + i))).items();
                outbox.commit(items);
                outbox.done(outbox.claim(DEVS.uuid()).orElseThrow());
            }
            assertThat(Files.readAllLines(file)).hasSizeLessThan(400); // 3 lines per change without compaction
            assertThat(OutboxLine.backlog(dir).depth()).isEqualTo(1);
            assertThat(waiting.get(0).committed).isFalse();
        }
        try (Outbox outbox = open()) {
            assertThat(outbox.claimReady()).extracting(i -> i.change).containsExactly(new GroupChange.GroupResync(OPS));
        }
    }

    @Test
    void backoffDoublesUpToAMinute() {
        assertThat(List.of(1, 2, 3, 4, 7, 20)).extracting(Outbox::backoff)
                .containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(8),
                        Duration.ofSeconds(60), Duration.ofSeconds(60));
    }
}
