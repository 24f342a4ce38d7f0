package org.grouprelay.targets.seafile.sql;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;

/** One small HikariCP pool per Seafile database, with timeouts bounded by the relay's deadline. */
final class Pools implements AutoCloseable {
    private final HikariDataSource ccnet;
    private final HikariDataSource seahub;
    private final HikariDataSource seafile;

    Pools(SqlSettings settings) {
        ccnet = pool("ccnet", settings.ccnetUrl(), settings);
        seahub = pool("seahub", settings.seahubUrl(), settings);
        seafile = pool("seafile", settings.seafileUrl(), settings);
    }

    private static HikariDataSource pool(String name, String url, SqlSettings settings) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("grouprelay-" + name);
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

    @Override
    public void close() {
        ccnet.close();
        seahub.close();
        seafile.close();
    }
}
