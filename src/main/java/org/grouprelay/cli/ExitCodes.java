package org.grouprelay.cli;

import java.net.BindException;
import org.grouprelay.config.ConfigException;

/** Process exit codes: part of the interface operators script against (see docs/operations.md, "Command line and exit codes"). */
public final class ExitCodes {
    public static final int OK = 0;
    /** {@code check}: drift found (or found and repaired). */
    public static final int DRIFT = 1;
    /** Bad command line or bad configuration: retrying will not help; {@code check}: any error; {@code reload}: not reloaded. */
    public static final int USAGE_OR_CONFIG = 2;
    /** Could not start or keep running, e.g. the port is taken or the data directory is locked. */
    public static final int RUNTIME = 3;
    /** {@code reload}: no {@code serve} runs with that data directory, or none answered in time. */
    public static final int NOT_RUNNING = 3;

    private ExitCodes() {
    }

    public static int of(Throwable e) {
        return e instanceof ConfigException || e instanceof UsageException || e instanceof picocli.CommandLine.ParameterException
                ? USAGE_OR_CONFIG : RUNTIME;
    }

    /** One line for the operator: the configuration message as it is, or the root cause of a failure. */
    public static String describe(Throwable e) {
        if (e instanceof ConfigException) {
            return "configuration error: " + e.getMessage();
        }
        if (e instanceof OperatorException || e instanceof UsageException || e instanceof org.grouprelay.targets.TargetException
                || e instanceof org.grouprelay.transfer.TransferException) {
            return e.getMessage();
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        if (root instanceof BindException) {
            message = "cannot listen: " + message + " (is another server using the port?)";
        }
        return message.replaceAll("\\s+", " ").strip();
    }
}
