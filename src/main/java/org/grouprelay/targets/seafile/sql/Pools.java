package org.grouprelay.targets.seafile.sql;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;

/**
 * Small HikariCP pools per Seafile database, with timeouts bounded by the relay's deadline. Writes
 * get connections that stay out of auto-commit (a session then costs no {@code SET autocommit}
 * round trips, two per connection before); the account lookups, single queries, get their own
 * auto-commit connections to ccnet and seahub, so they need no {@code ROLLBACK} when they are done.
 */
final class Pools implements AutoCloseable {
    private final HikariDataSource ccnet;
    private final HikariDataSource seahub;
    private final HikariDataSource seafile;
    private final HikariDataSource ccnetReads;
    private final HikariDataSource seahubReads;

    Pools(SqlSettings settings) {
        ccnet = pool("ccnet", settings.ccnetUrl(), settings, false);
        seahub = pool("seahub", settings.seahubUrl(), settings, false);
        seafile = pool("seafile", settings.seafileUrl(), settings, false);
        ccnetReads = pool("ccnet-reads", settings.ccnetUrl(), settings, true);
        seahubReads = pool("seahub-reads", settings.seahubUrl(), settings, true);
    }

    private static HikariDataSource pool(String name, String url, SqlSettings settings, boolean autoCommit) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("grouprelay-" + name);
        config.setAutoCommit(autoCommit);
        config.setJdbcUrl(url);
        config.setUsername(settings.user());
        config.setPassword(settings.password().reveal());
        config.setMaximumPoolSize(4);
        config.setMinimumIdle(1);
        long deadline = Math.max(250, settings.deadline().toMillis());
        config.setConnectionTimeout(deadline);
        config.setValidationTimeout(Math.max(250, deadline / 2));
        // a hung server must not hold a connection (and an LDAP reply) past the deadline
        config.addDataSourceProperty("socketTimeout", String.valueOf(deadline));
        config.addDataSourceProperty("connectTimeout", String.valueOf(deadline));
        // start even when Seafile's database is down: changes wait in the outbox
        config.setInitializationFailTimeout(-1);
        return new HikariDataSource(config);
    }

    DataSource ccnet() {
        return ccnet;
    }

    DataSource seahub() {
        return seahub;
    }

    DataSource seafile() {
        return seafile;
    }

    /** Auto-commit connections to ccnet's database, for single queries. */
    DataSource ccnetReads() {
        return ccnetReads;
    }

    /** Auto-commit connections to seahub's database, for single queries. */
    DataSource seahubReads() {
        return seahubReads;
    }

    @Override
    public void close() {
        ccnet.close();
        seahub.close();
        seafile.close();
        ccnetReads.close();
        seahubReads.close();
    }
}
