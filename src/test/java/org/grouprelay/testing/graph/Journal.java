package org.grouprelay.testing.graph;

import java.util.ArrayList;
import java.util.List;
import org.grouprelay.testing.graph.FakeGraph.Recorded;

/** What the fake saw: HTTP requests, $batch steps, and the contract rules broken. */
final class Journal {
    private final List<Recorded> requests = new ArrayList<>();
    private final List<Recorded> batchSteps = new ArrayList<>();
    private final List<String> violations = new ArrayList<>();

    synchronized void request(Recorded recorded) {
        requests.add(recorded);
    }

    synchronized void batchStep(Recorded recorded) {
        batchSteps.add(recorded);
    }

    synchronized void violation(GraphRequest request, String rule) {
        violations.add(request.describe() + ": " + rule);
    }

    synchronized List<Recorded> requests() {
        return List.copyOf(requests);
    }

    synchronized List<Recorded> batchSteps() {
        return List.copyOf(batchSteps);
    }

    synchronized List<String> violations() {
        return List.copyOf(violations);
    }

    synchronized void clearRequests() {
        requests.clear();
        batchSteps.clear();
    }
}
