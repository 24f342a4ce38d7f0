package org.grouprelay.targets.seafile.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLSyntaxErrorException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;

/** Error codes and SQLSTATEs as MariaDB Connector/J reports them. */
class SqlErrorsTest {
    @Test
    void aMissingGrantIsRetriedForTablesAndColumnsAlike() {
        assertThat(SqlErrors.classify("delete group", new SQLSyntaxErrorException(
                "DELETE command denied to user 'seafile'@'localhost' for table `ccnet_db`.`GroupUser`", "42000", 1142)).isTransient()).isTrue();
        assertThat(SqlErrors.classify("delete group", new SQLSyntaxErrorException(
                "SELECT command denied to user 'seafile'@'localhost' for column 'group_id' in table 'GroupStructure'", "42000", 1143))
                .isTransient()).isTrue();
    }

    @Test
    void badStatementsAndBadDataAreNot() {
        assertThat(SqlErrors.classify("x", new SQLSyntaxErrorException("You have an error in your SQL syntax", "42000", 1064)).isTransient())
                .isFalse();
        assertThat(SqlErrors.classify("x", new SQLIntegrityConstraintViolationException("Duplicate entry", "23000", 1062)).isTransient())
                .isFalse();
        assertThat(SqlErrors.classify("x", new SQLTransientConnectionException("Connection is not available", "08000")).isTransient())
                .isTrue();
    }

    @Test
    void aDeadlockVictimMayRunAgainAtOnceAndALockWaitTimeoutMayNot() {
        // MariaDB Connector/J 3: ER_LOCK_DEADLOCK (1213) as SQLTransactionRollbackException, SQLSTATE 40001
        var deadlock = SqlErrors.classify("create group", new java.sql.SQLTransactionRollbackException(
                "Deadlock found when trying to get lock; try restarting transaction", "40001", 1213));
        assertThat(deadlock.isTransient()).isTrue();
        assertThat(deadlock.isDeadlockVictim()).isTrue();
        var lockWait = SqlErrors.classify("create group", new java.sql.SQLTransientException(
                "Lock wait timeout exceeded; try restarting transaction", "HY000", 1205));
        assertThat(lockWait.isTransient()).isTrue();
        assertThat(lockWait.isDeadlockVictim()).isFalse();
    }
}
