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
}
