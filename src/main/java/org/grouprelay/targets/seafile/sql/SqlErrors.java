package org.grouprelay.targets.seafile.sql;

import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLSyntaxErrorException;
import org.grouprelay.targets.TargetException;

/**
 * Classifies SQL failures by SQLSTATE, as HikariCP does: bad data and constraint violations are
 * permanent (retrying cannot help); everything else (connection lost, timeouts, deadlocks, a
 * permission an operator can still grant) is transient, so nothing is dropped. A deadlock victim
 * (SQLSTATE 40001) may run again at once ({@link TargetException#deadlock}).
 */
final class SqlErrors {
    private SqlErrors() {
    }

    static TargetException classify(String what, SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String message = what + ": " + firstLine(e.getMessage()) + " (SQLSTATE " + state + ")";
        if (state.equals("40001")) { // ER_LOCK_DEADLOCK: InnoDB rolled this transaction back in favour of another
            return TargetException.deadlock(message, e);
        }
        boolean permanent = e instanceof SQLIntegrityConstraintViolationException
                || state.startsWith("22") || state.startsWith("23")
                || (e instanceof SQLSyntaxErrorException && !state.startsWith("42S") && !isDenied(e.getErrorCode()));
        return new TargetException(message, !permanent, e);
    }

    /** Access denied to a table (1142) or a column (1143): an operator can still grant it. */
    private static boolean isDenied(int errorCode) {
        return errorCode == 1142 || errorCode == 1143;
    }

    private static String firstLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("").strip();
    }
}
