package org.grouprelay.reconcile;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** One check run, end to end: plan, optionally the guarded repair, and the recorded status. */
public final class CheckService {
    private final Checker checker;
    private final Repairer repairer;
    private final LocalState local;
    private final String target;
    private final Optional<DirectoryFindings> directory;

    public CheckService(Checker checker, Repairer repairer, LocalState local) {
        this(checker, repairer, local, "Seafile");
    }

    /** {@code target} names the target in reports ({@code Seafile}, {@code target apps}). */
    public CheckService(Checker checker, Repairer repairer, LocalState local, String target) {
        this(checker, repairer, local, target, Optional.empty());
    }

    /** With {@code directory}'s findings about the directory itself added to every plan (and repaired with it). */
    public CheckService(Checker checker, Repairer repairer, LocalState local, String target, Optional<DirectoryFindings> directory) {
        this.target = target;
        this.checker = checker;
        this.repairer = repairer;
        this.local = local;
        this.directory = directory;
    }

    /** What the run should do. {@code groups} empty means every managed group. */
    public record Options(Set<String> groups, boolean repair, boolean dryRun, boolean force) {
        public static Options checkOnly() {
            return new Options(Set.of(), false, false, false);
        }
    }

    public CheckRun run(DirectorySource source, Options options) throws Exception {
        Plan plan = checker.check(source, options.groups());
        List<Finding> own = directory.isPresent() ? directory.get().find(source, options.groups()) : List.of();
        if (!own.isEmpty()) {
            List<Finding> all = new ArrayList<>(plan.findings());
            all.addAll(own);
            plan = new Plan(plan.checkedAt(), plan.groups(), plan.memberships(), all, plan.actions());
        }
        CheckRun run;
        if (!options.repair()) {
            run = new CheckRun(plan, Optional.empty(), "check", Optional.empty(), target);
        } else if (options.dryRun()) {
            run = new CheckRun(plan, Optional.empty(), "dry-run", Optional.empty(), target);
        } else {
            Optional<String> refused = options.force() ? Optional.empty() : repairer.guard(plan);
            run = refused.isPresent() ? new CheckRun(plan, Optional.empty(), "repair", refused, target)
                    : new CheckRun(plan, Optional.of(repair(plan, own)), "repair", Optional.empty(), target);
        }
        local.recordRun(plan, run.mode());
        return run;
    }

    /** The target's repair, then the directory's own (whose changes the relay carries to the targets). */
    private Result repair(Plan plan, List<Finding> own) throws Exception {
        Result result = repairer.apply(plan);
        if (own.isEmpty()) {
            return result;
        }
        List<String> failures = new ArrayList<>(result.failures());
        failures.addAll(directory.orElseThrow().repair(own));
        return new Result(result.groupsCreated(), result.groupsRenamed(), result.groupsDeleted(), result.membersAdded(),
                result.membersRemoved(), failures);
    }

    public LocalState local() {
        return local;
    }
}
