package org.grouprelay.relay;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import org.grouprelay.change.GroupChange;
import org.grouprelay.change.Origin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable outbox: one queue per group, so a group's changes apply in commit order across
 * retries and restarts while other groups go on. A change enters as an <em>intent</em>, written and
 * fsynced before the directory writes; it becomes applicable once the directory committed it, or
 * leaves if the directory refused it. An intent a crash left unconfirmed is settled at the next start
 * by a {@link GroupChange.GroupResync} of its group in its place. A group is busy while one attempt runs.
 */
final class Outbox implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Outbox.class);

    /** A change and its retry state. */
    static final class Item {
        final long seq;
        final Origin origin;
        final GroupChange change;
        final Instant queuedAt;
        /** Completed (by the relay, outside this outbox's lock) when the change was applied, failed for good or aborted. */
        final CompletableFuture<Void> settled = new CompletableFuture<>();
        /**
         * Completed when the reply waiting for this change may go: it settled, or its first attempt failed and it is queued
         * for a retry (nothing would happen before the deadline but waiting).
         */
        final CompletableFuture<Void> replyMayGo = new CompletableFuture<>();
        int attempts;
        Instant notBefore = Instant.MIN;
        /** False while the directory has not yet committed the operation: the group waits. */
        boolean committed;
        /** Not applied while its LDAP client waited: the audit then says how long it took. */
        boolean waited;

        Item(long seq, Origin origin, GroupChange change, Instant queuedAt, boolean committed) {
            this.seq = seq;
            this.origin = origin;
            this.change = change;
            this.queuedAt = queuedAt;
            this.committed = committed;
        }

        String group() {
            return change.group().uuid();
        }
    }

    private final Journal<OutboxLine> journal;
    /** Syncs intents while the directory works on their operation. */
    private final ExecutorService syncer = Executors.newSingleThreadExecutor(Daemons.named("grouprelay-outbox-sync"));
    private final Clock clock;
    private final Map<String, Deque<Item>> queues = new LinkedHashMap<>();
    private final Set<String> busy = new HashSet<>();
    private long nextSeq = 1;
    private int doneSinceCompaction;

    Outbox(Path file, Clock clock, ObjectMapper json) throws IOException {
        this.journal = new Journal<>(file, OutboxLine.class, json);
        this.clock = clock;
        List<OutboxLine> lines = journal.readAll();
        lines.forEach(line -> nextSeq = Math.max(nextSeq, line.seq() + 1));
        List<OutboxLine> open = OutboxLine.open(lines);
        List<OutboxLine> kept = new ArrayList<>();
        int unsettled = 0;
        for (OutboxLine line : open) {
            OutboxLine queued = line;
            if (line.state() == OutboxLine.State.INTENT) {
                // the directory may or may not have committed it: re-read the group on both sides instead
                Deque<Item> queue = queues.get(line.change().group().uuid());
                if (queue != null && queue.peekLast().change instanceof GroupChange.GroupResync) {
                    continue;
                }
                unsettled++;
                queued = OutboxLine.queued(nextSeq++, line.origin(), new GroupChange.GroupResync(line.change().group()), line.queuedAt());
            }
            Item item = new Item(queued.seq(), queued.origin(), queued.change(), Instant.parse(queued.queuedAt()), true);
            item.waited = true;
            queue(item);
            kept.add(queued);
        }
        journal.rewrite(kept);
        if (!kept.isEmpty()) {
            log.warn("outbox {} holds {} change(s) from before the restart{}; they are applied first, in order", file, kept.size(),
                    unsettled == 0 ? "" : ", " + unsettled + " of them a re-read of a group whose last change a crash left unconfirmed");
        }
    }

    /** Intents just recorded, and when they are on disk. */
    record Intended(List<Item> items, CompletableFuture<Void> durable) {
    }

    /**
     * Records {@code changes} as intents before the directory writes them; they hold their groups'
     * queues until {@link #commit} or {@link #abort}. The fsync runs on the outbox's sync thread, so the
     * directory works on the operation meanwhile; {@link Intended#durable} completes once the intents are
     * on disk (or the disk refused them, which is logged loudly: they stay queued in memory), and the
     * directory must not commit before.
     */
    Intended intend(Origin origin, List<GroupChange> changes) {
        List<Item> items = append(origin, changes, false);
        CompletableFuture<Void> durable = new CompletableFuture<>();
        Runnable sync = () -> {
            try {
                force(origin, changes);
            } finally {
                durable.complete(null);
            }
        };
        try {
            syncer.execute(sync);
        } catch (RejectedExecutionException e) {
            sync.run(); // closing: sync here
        }
        return new Intended(items, durable);
    }

    /** Queues changes the directory already has (durably, one fsync); they may be applied at once. */
    List<Item> add(Origin origin, List<GroupChange> changes) {
        List<Item> items = append(origin, changes, true);
        force(origin, changes);
        return items;
    }

    /** Everything appended so far to disk, outside this outbox's lock: attempts that finish meanwhile are not held up. */
    private void force(Origin origin, List<GroupChange> changes) {
        try {
            journal.force();
        } catch (IOException e) {
            failedWrite(e, origin, changes);
        }
    }

    private synchronized List<Item> append(Origin origin, List<GroupChange> changes, boolean committed) {
        Instant now = clock.instant();
        List<Item> items = new ArrayList<>();
        List<OutboxLine> lines = new ArrayList<>();
        for (GroupChange change : changes) {
            Item item = new Item(nextSeq++, origin, change, now, committed);
            items.add(item);
            lines.add(line(item));
        }
        try {
            journal.append(lines, false);
        } catch (IOException e) {
            failedWrite(e, origin, changes);
        }
        items.forEach(this::queue);
        return items;
    }

    /** The line that records {@code item}: queued once the directory committed it, an intent before. */
    private static OutboxLine line(Item item) {
        String queuedAt = item.queuedAt.toString();
        return item.committed ? OutboxLine.queued(item.seq, item.origin, item.change, queuedAt)
                : OutboxLine.intent(item.seq, item.origin, item.change, queuedAt);
    }

    private void failedWrite(IOException e, Origin origin, List<GroupChange> changes) {
        log.error("outbox: cannot write {} ({}); {} change(s) of {} {} are queued in memory only and would not survive a crash",
                journal.file(), e.getMessage(), changes.size(), origin.operation(), origin.dn());
    }

    /**
     * The directory committed the intents. Not synced: if the mark is lost in a crash, the intents
     * are settled by re-reading their groups, which ends in the same state.
     */
    synchronized void commit(List<Item> items) {
        items.forEach(item -> item.committed = true);
        mark(items, OutboxLine.State.COMMITTED);
    }

    /** The directory refused the operation: its intents leave the queues. */
    synchronized void abort(List<Item> items) {
        for (Item item : items) {
            Deque<Item> queue = queues.get(item.group());
            if (queue != null && queue.remove(item) && queue.isEmpty()) {
                queues.remove(item.group());
            }
        }
        mark(items, OutboxLine.State.ABORTED);
    }

    private void mark(List<Item> items, OutboxLine.State state) {
        try {
            journal.append(items.stream().map(i -> OutboxLine.mark(i.seq, state)).toList(), false);
        } catch (IOException e) {
            log.warn("outbox: could not mark {} change(s) {} ({})", items.size(), state, e.getMessage());
        }
    }

    private void queue(Item item) {
        queues.computeIfAbsent(item.group(), g -> new ArrayDeque<>()).add(item);
    }

    /** The first change of {@code group}, marked busy, if it is committed, its retry time has come and the group is idle. */
    synchronized Optional<Item> claim(String group) {
        Deque<Item> queue = queues.get(group);
        Item head = queue == null ? null : queue.peek();
        if (head == null || !head.committed || busy.contains(group) || head.notBefore.isAfter(clock.instant())) {
            return Optional.empty();
        }
        busy.add(group);
        return Optional.of(head);
    }

    /** A change's wait before attempt {@code attempt} (counting from 1) after failures: 1 s, 2 s, 4 s ... capped at 60 s. */
    static Duration backoff(int attempt) {
        long seconds = 1L << Math.min(6, Math.max(0, attempt - 1));
        return Duration.ofSeconds(Math.min(60, seconds));
    }

    /** Claims the first change of every idle group whose retry time has come. */
    synchronized List<Item> claimReady() {
        List<Item> ready = new ArrayList<>();
        for (String group : List.copyOf(queues.keySet())) {
            claim(group).ifPresent(ready::add);
        }
        return ready;
    }

    /** How many earlier changes of the same group wait before {@code item} after a failed attempt (a backlog). */
    synchronized int backlogAhead(Item item) {
        Deque<Item> queue = queues.get(item.group());
        if (queue == null || queue.peek() == item || queue.peek().attempts == 0) {
            return 0;
        }
        int ahead = 0;
        for (Item other : queue) {
            if (other == item) {
                break;
            }
            ahead++;
        }
        return ahead;
    }

    /** The attempt on {@code item} succeeded (or failed for good): drop it and free its group. */
    synchronized void done(Item item) {
        Deque<Item> queue = queues.get(item.group());
        queue.remove(item);
        if (queue.isEmpty()) {
            queues.remove(item.group());
        }
        busy.remove(item.group());
        try {
            if (++doneSinceCompaction >= 1000) {
                // compact: only what is still open, so the file stays small under a steady load and a restart reads little
                journal.rewrite(queues.values().stream().flatMap(Deque::stream).map(Outbox::line).toList());
                doneSinceCompaction = 0;
            } else {
                // not synced: losing this line in a crash only means one idempotent re-apply
                journal.append(List.of(OutboxLine.mark(item.seq, OutboxLine.State.DONE)), false);
            }
        } catch (IOException e) {
            log.warn("outbox: could not record change {} as done ({}); it may be applied once more after a restart", item.seq, e.getMessage());
        }
    }

    /** Seafile answered again: every waiting group may try now instead of sitting out its backoff. */
    synchronized void wakeAll() {
        for (Deque<Item> queue : queues.values()) {
            queue.peek().notBefore = Instant.MIN;
        }
    }

    /**
     * When the next retry is due, if every group that waits is sitting out a backoff (none can go now, none is being
     * applied); empty otherwise.
     */
    synchronized Optional<Instant> allBackingOff() {
        Instant now = clock.instant();
        Instant earliest = null;
        for (Map.Entry<String, Deque<Item>> queue : queues.entrySet()) {
            Item head = queue.getValue().peek();
            if (busy.contains(queue.getKey()) || !head.committed || !head.notBefore.isAfter(now)) {
                return Optional.empty();
            }
            earliest = earliest == null || head.notBefore.isBefore(earliest) ? head.notBefore : earliest;
        }
        return Optional.ofNullable(earliest);
    }

    /** The client stopped waiting for {@code item}: when it is applied, the audit says how late. */
    synchronized void markWaited(Item item) {
        item.waited = true;
    }

    /** The attempt failed and may succeed later: free the group, retry after {@code backoff}. */
    synchronized void retryLater(Item item, Duration backoff) {
        item.attempts++;
        item.waited = true;
        item.notBefore = clock.instant().plus(backoff);
        busy.remove(item.group());
    }

    /** Whether {@code group} has changes waiting (or being applied). */
    synchronized boolean hasQueued(String group) {
        return queues.containsKey(group);
    }

    synchronized int depth() {
        return queues.values().stream().mapToInt(Deque::size).sum();
    }

    synchronized Optional<Instant> oldest() {
        return queues.values().stream().map(Deque::peek).map(i -> i.queuedAt).min(Instant::compareTo);
    }

    @Override
    public void close() throws IOException {
        syncer.shutdown();
        try {
            syncer.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        journal.close();
    }
}
