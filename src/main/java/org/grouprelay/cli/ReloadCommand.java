package org.grouprelay.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.grouprelay.config.ConfigLoader;
import org.grouprelay.config.Environment;
import org.grouprelay.ops.ReloadRequest;
import org.grouprelay.ops.ReloadResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code grouprelay reload}: makes the {@code serve} running with the configuration's {@code dataDir} re-read its
 * configuration file, as SIGHUP does, for a {@code serve} that cannot get the signal. Reads only {@code directory.dataDir}
 * from the file (the secrets are in serve's environment, not necessarily in this one); {@code serve} reads and checks the
 * whole file.
 */
@Command(name = "reload", mixinStandardHelpOptions = true,
        description = {"Make the running serve re-read its configuration file (the check section), as SIGHUP does.",
            "Works through the data directory: also for a serve started under nohup or otherwise without SIGHUP."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:reloaded",
            "2:the configuration did not load (the running settings stay), or the request could not be written",
            "3:no serve runs with this dataDir, or none answered in time"})
public final class ReloadCommand implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "FILE", defaultValue = "conf/grouprelay.yaml",
            description = "Configuration file; its directory.dataDir names the serve to reload (default: ${DEFAULT-VALUE}).")
    Path configFile;

    @Option(names = "--wait", paramLabel = "SECONDS", defaultValue = "10",
            description = "How long to wait for serve's answer, 1 to 600 (default: ${DEFAULT-VALUE}).")
    int waitSeconds;

    @Spec
    CommandSpec spec;

    private final Environment env;

    public ReloadCommand(Environment env) {
        this.env = env;
    }

    @Override
    public Integer call() throws InterruptedException {
        if (waitSeconds < 1 || waitSeconds > 600) {
            throw new UsageException("--wait: '" + waitSeconds + "' is not from 1 to 600 seconds");
        }
        Path dataDir = new ConfigLoader(env).dataDir(configFile);
        ReloadRequest.Reply reply;
        try {
            reply = new ReloadRequest(dataDir, Clock.systemUTC()).send(Duration.ofSeconds(waitSeconds));
        } catch (AccessDeniedException e) {
            throw new OperatorException("cannot leave a reload request in " + dataDir.resolve("reload") + " (permission denied);"
                    + " run grouprelay reload as the user serve runs as", e);
        } catch (IOException e) {
            throw new OperatorException("cannot leave a reload request in " + dataDir.resolve("reload") + ": " + ExitCodes.describe(e), e);
        }
        if (reply instanceof ReloadRequest.Answered answered) {
            ReloadResult result = answered.result();
            if (result.reloaded()) {
                spec.commandLine().getOut().println("grouprelay: configuration reloaded by serve (pid " + result.pid() + ") from "
                        + result.configFile() + ": " + result.message());
                spec.commandLine().getOut().flush();
                return ExitCodes.OK;
            }
            spec.commandLine().getErr().println("grouprelay: configuration not reloaded, the running settings stay: " + result.message());
            return ExitCodes.USAGE_OR_CONFIG;
        }
        spec.commandLine().getErr().println("grouprelay: " + ((ReloadRequest.Unanswered) reply).reason());
        return ExitCodes.NOT_RUNNING;
    }
}
