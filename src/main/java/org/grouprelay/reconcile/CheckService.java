package org.grouprelay.reconcile;

import java.util.Optional;
import java.util.Set;

/** One check run, end to end: plan, optionally the guarded repair, and the recorded status. */
public final class CheckService {
    private final Checker checker;
    private final Repairer repairer;
    private final LocalState local;
    private final String target;

    public CheckService(Checker checker, Repairer repairer, LocalState local) {
        this(checker, repairer, local, "Seafile");
    }

    /** {@code target} names the target in reports ({@code Seafile}, {@code target apps}). */
    public CheckService(Checker checker, Repairer repairer, LocalState local, String target) {
        this.target = target;
        this.checker = checker;
        this.repairer = repairer;
        this.local = local;
    }

    /** What the run should do. {@code groups} empty means every managed group. */
    public record Options(Set<String> groups, boolean repair, boolean dryRun, boolean force) {
        public static Options checkOnly() {
            return new Options(Set.of(), false, false, false);
        }
    }

    public CheckRun run(DirectorySource source, Options options) throws Exception {
        Plan plan = checker.check(source, options.groups());
        CheckRun run;
        if (!options.repair()) {
            run = new CheckRun(plan, Optional.empty(), "check", Optional.empty(), target);
        } else if (options.dryRun()) {
            run = new CheckRun(plan, Optional.empty(), "dry-run", Optional.empty(), target);
        } else {
            Optional<String> refused = options.force() ? Optional.empty() : repairer.guard(plan);
            run = refused.isPresent() ? new CheckRun(plan, Optional.empty(), "repair", refused, target)
                    : new CheckRun(plan, Optional.of(repairer.apply(plan)), "repair", Optional.empty(), target);
        }
        local.recordRun(plan, run.mode());
        return run;
    }

    public LocalState local() {
        return local;
    }
}
