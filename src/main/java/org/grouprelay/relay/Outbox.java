package org.grouprelay.relay;

import com.fasterxml.jackson.annotation.JsonInclude;
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
import org.grouprelay.change.GroupChange;
import org.grouprelay.change.Origin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable outbox: every change is written (and fsynced) here before it is applied, and marked
 * done after. Changes are kept in one queue per group, so a group's changes apply in commit order
 * across retries and restarts while other groups go on. A group is "busy" while one attempt runs.
 */
final class Outbox implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Outbox.class);

    /** One line of {@code outbox.jsonl}: a queued change, or the mark that change {@code seq} is done. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Line(long seq, String state, Origin origin, GroupChange change, String queuedAt) {
    }

    /** A queued change and its retry state. */
    static final class Item {
        final long seq;
        final Origin origin;
        final GroupChange change;
        final Instant queuedAt;
        int attempts;
        Instant notBefore;
        /** Held by the LDAP thread that queued it, which tries it first; the worker leaves it alone. */
        boolean reserved;
        /** Not applied while its LDAP client waited: the audit then says how long it took. */
        boolean waited;

        Item(long seq, Origin origin, GroupChange change, Instant queuedAt) {
            this.seq = seq;
            this.origin = origin;
            this.change = change;
            this.queuedAt = queuedAt;
            this.notBefore = Instant.MIN;
        }

        String group() {
            return change.group().uuid();
        }
    }

    private final Journal<Line> journal;
    private final Clock clock;
    private final Map<String, Deque<Item>> queues = new LinkedHashMap<>();
    private final Set<String> busy = new HashSet<>();
    private long nextSeq = 1;
    private int doneSinceCompaction;

    Outbox(Path file, Clock clock, ObjectMapper json) throws IOException {
        this.journal = new Journal<>(file, Line.class, json);
        this.clock = clock;
        Map<Long, Line> open = new LinkedHashMap<>();
        for (Line line : journal.readAll()) {
            nextSeq = Math.max(nextSeq, line.seq() + 1);
            if ("queued".equals(line.state()) && line.change() != null) {
                open.put(line.seq(), line);
            } else {
                open.remove(line.seq());
            }
        }
        for (Line line : open.values()) {
            Item item = new Item(line.seq(), line.origin(), line.change(), Instant.parse(line.queuedAt()));
            item.waited = true;
            queue(item);
        }
        journal.rewrite(new ArrayList<>(open.values()));
        if (!open.isEmpty()) {
            log.warn("outbox {} holds {} change(s) from before the restart; they are applied first, in order", file, open.size());
        }
    }

    /**
     * Queues {@code changes} durably (one fsync); returns them in order. If the disk refuses the
     * write, they are still queued in memory (and applied), and the failure is logged loudly.
     */
    synchronized List<Item> add(Origin origin, List<GroupChange> changes) {
        Instant now = clock.instant();
        List<Item> items = new ArrayList<>();
        List<Line> lines = new ArrayList<>();
        for (GroupChange change : changes) {
            Item item = new Item(nextSeq++, origin, change, now);
            item.reserved = true;
            items.add(item);
            lines.add(new Line(item.seq, "queued", origin, change, now.toString()));
        }
        try {
            journal.append(lines, true);
        } catch (IOException e) {
            log.error("outbox: cannot write {} ({}); {} change(s) of {} {} are queued in memory only and would not survive a crash",
                    journal.file(), e.getMessage(), changes.size(), origin.operation(), origin.dn());
        }
        items.forEach(this::queue);
        return items;
    }

    private void queue(Item item) {
        queues.computeIfAbsent(item.group(), g -> new ArrayDeque<>()).add(item);
    }

    /** Marks {@code item} busy if it is the first of its group and the group is idle; returns whether it did. */
    synchronized boolean claim(Item item) {
        Deque<Item> queue = queues.get(item.group());
        if (queue == null || queue.peek() != item || busy.contains(item.group())) {
            return false;
        }
        busy.add(item.group());
        item.reserved = false;
        return true;
    }

    /** Hands a reserved item over to the worker. */
    synchronized void release(Item item) {
        item.reserved = false;
        item.waited = true;
    }

    /** Claims the first change of every idle group whose retry time has come. */
    synchronized List<Item> claimReady() {
        Instant now = clock.instant();
        List<Item> ready = new ArrayList<>();
        for (Map.Entry<String, Deque<Item>> entry : queues.entrySet()) {
            Item head = entry.getValue().peek();
            if (head != null && !head.reserved && !busy.contains(entry.getKey()) && !head.notBefore.isAfter(now)) {
                busy.add(entry.getKey());
                ready.add(head);
            }
        }
        return ready;
    }

    /** How many earlier changes of the same group wait before {@code item}. */
    synchronized int ahead(Item item) {
        Deque<Item> queue = queues.get(item.group());
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
            if (queues.isEmpty() && ++doneSinceCompaction >= 1000) {
                journal.rewrite(List.of());
                doneSinceCompaction = 0;
            } else {
                // not synced: losing this line in a crash only means one idempotent re-apply
                journal.append(List.of(new Line(item.seq, "done", null, null, null)), false);
            }
        } catch (IOException e) {
            log.warn("outbox: could not record change {} as done ({}); it may be applied once more after a restart", item.seq, e.getMessage());
        }
    }

    /** Seafile answered again: every waiting group may try now instead of sitting out its backoff. */
    synchronized void wakeAll() {
        for (Deque<Item> queue : queues.values()) {
            Item head = queue.peek();
            if (head != null) {
                head.notBefore = Instant.MIN;
            }
        }
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

    synchronized int depth() {
        return queues.values().stream().mapToInt(Deque::size).sum();
    }

    synchronized Optional<Instant> oldest() {
        return queues.values().stream().map(Deque::peek).map(i -> i.queuedAt).min(Instant::compareTo);
    }

    @Override
    public void close() throws IOException {
        journal.close();
    }
}
