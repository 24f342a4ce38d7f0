package org.grouprelay.relay;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.grouprelay.change.ChangeRefused;
import org.grouprelay.change.ChangeSet;
import org.grouprelay.change.ChangeSink;

/**
 * Several targets at once: every change set goes to every target's relay, each with its own outbox,
 * mode and deadline. The reply waits for all of them (each within its own deadline), so a slow target
 * delays only the reply, never another target's apply. A strict target that refuses refuses the whole
 * operation: the targets already prepared are told it was aborted, and the directory changes nothing.
 */
public final class Fanout implements ChangeSink {
    private final List<ChangeSink> relays;

    /** Asks {@code relays} in this order (put strict targets first: one that refuses then costs the others nothing). */
    public Fanout(List<? extends ChangeSink> relays) {
        this.relays = List.copyOf(relays);
    }

    /** The relays, strict ones first. */
    public static Fanout of(List<Relay> relays) {
        List<Relay> ordered = new ArrayList<>(relays);
        ordered.sort(java.util.Comparator.comparing(r -> r.mode() == org.grouprelay.config.RelayMode.STRICT ? 0 : 1));
        return new Fanout(ordered);
    }

    @Override
    public Intent prepare(ChangeSet changes) throws ChangeRefused {
        List<Intent> intents = new ArrayList<>(relays.size());
        try {
            for (ChangeSink relay : relays) {
                intents.add(relay.prepare(changes));
            }
        } catch (ChangeRefused | RuntimeException | Error e) {
            intents.forEach(Intent::aborted);
            throw e;
        }
        return new Intent() {
            @Override
            public void awaitDurable() {
                intents.forEach(Intent::awaitDurable);
            }

            @Override
            public CompletionStage<Void> committed() {
                CompletableFuture<?>[] replies = new CompletableFuture<?>[intents.size()];
                for (int i = 0; i < intents.size(); i++) {
                    replies[i] = intents.get(i).committed().toCompletableFuture();
                }
                return CompletableFuture.allOf(replies);
            }

            @Override
            public void aborted() {
                intents.forEach(Intent::aborted);
            }
        };
    }
}
