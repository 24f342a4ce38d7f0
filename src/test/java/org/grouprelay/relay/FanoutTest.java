package org.grouprelay.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.grouprelay.change.ChangeRefused;
import org.grouprelay.change.ChangeSet;
import org.grouprelay.change.ChangeSink;
import org.grouprelay.change.GroupChange;
import org.grouprelay.change.GroupRef;
import org.grouprelay.change.Origin;
import org.junit.jupiter.api.Test;

class FanoutTest {
    static final ChangeSet SET = new ChangeSet(new Origin("modify", "cn=devs,ou=groups,dc=example,dc=org", "uid=admin,ou=system"),
            List.of(new GroupChange.GroupCreated(new GroupRef("u-1", "cn=devs,ou=groups,dc=example,dc=org", "devs"))), List.of());

    /** A sink that records what happened to it, refuses if told to, and replies when its stage is completed. */
    static final class Recording implements ChangeSink {
        final List<String> events = new ArrayList<>();
        final CompletableFuture<Void> reply = new CompletableFuture<>();
        final boolean refuse;

        Recording(boolean refuse) {
            this.refuse = refuse;
        }

        @Override
        public Intent prepare(ChangeSet changes) throws ChangeRefused {
            events.add("prepared");
            if (refuse) {
                throw new ChangeRefused(ChangeRefused.Reason.UNAVAILABLE, "down");
            }
            return new Intent() {
                @Override
                public CompletionStage<Void> committed() {
                    events.add("committed");
                    return reply;
                }

                @Override
                public void aborted() {
                    events.add("aborted");
                }
            };
        }
    }

    @Test
    void theReplyWaitsForEveryTarget() throws Exception {
        Recording a = new Recording(false);
        Recording b = new Recording(false);
        CompletableFuture<Void> reply = new Fanout(List.of(a, b)).prepare(SET).committed().toCompletableFuture();
        assertThat(a.events).containsExactly("prepared", "committed");
        assertThat(b.events).containsExactly("prepared", "committed");
        a.reply.complete(null);
        assertThat(reply).isNotDone();
        b.reply.complete(null);
        assertThat(reply).isDone();
    }

    @Test
    void aRefusalAbortsTheTargetsAlreadyPreparedAndAsksNoOther() {
        Recording first = new Recording(false);
        Recording refusing = new Recording(true);
        Recording last = new Recording(false);
        assertThatThrownBy(() -> new Fanout(List.of(first, refusing, last)).prepare(SET)).isInstanceOf(ChangeRefused.class)
                .hasMessage("down");
        assertThat(first.events).containsExactly("prepared", "aborted");
        assertThat(last.events).isEmpty();
    }

    @Test
    void aDirectoryRefusalAbortsEveryTarget() throws Exception {
        Recording a = new Recording(false);
        Recording b = new Recording(false);
        new Fanout(List.of(a, b)).prepare(SET).aborted();
        assertThat(a.events).containsExactly("prepared", "aborted");
        assertThat(b.events).containsExactly("prepared", "aborted");
    }
}
