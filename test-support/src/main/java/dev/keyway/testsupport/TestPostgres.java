package dev.keyway.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.UUID;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL server for tests: the embedded binaries from Maven Central on a random port, started once per
 * JVM, or an external server when {@code KEYWAY_TEST_POSTGRES_URL} (a {@code jdbc:postgresql://host:port/db} URL,
 * with {@code KEYWAY_TEST_POSTGRES_USER} / {@code _PASSWORD}) is set. Either way each start of the application under
 * test (a test profile restarts it) works in a fresh database.
 */
public final class TestPostgres {

    private static TestPostgres instance;

    private final String host;
    private final int port;
    private final String username;
    private final String password;
    private final String database;

    private TestPostgres(String host, int port, String username, String password, String adminDatabase) {
        this.host = host;
        this.port = port;
        this.username = username;
        this.password = password;
        this.database = "keyway_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        execute(adminDatabase, "create database " + database);
    }

    public static synchronized TestPostgres get() {
        if (instance == null) {
            instance = external().orElseGet(TestPostgres::embedded);
        }
        return instance;
    }

    private static Optional<TestPostgres> external() {
        return Optional.ofNullable(setting("KEYWAY_TEST_POSTGRES_URL")).map(url -> {
            URI uri = URI.create(url.substring("jdbc:".length()));
            return new TestPostgres(uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(),
                    Optional.ofNullable(setting("KEYWAY_TEST_POSTGRES_USER")).orElse("postgres"),
                    Optional.ofNullable(setting("KEYWAY_TEST_POSTGRES_PASSWORD")).orElse(""),
                    uri.getPath().substring(1));
        });
    }

    private static TestPostgres embedded() {
        try {
            EmbeddedPostgres server = EmbeddedPostgres.builder().setPort(FreePorts.take())
                    .setServerConfig("max_connections", "200")
                    .setServerConfig("fsync", "off")
                    .start();
            Teardown.register(() -> {
                try {
                    server.close();
                } catch (IOException e) {
                    // the JVM is going away; the data directory is temporary
                }
            });
            // A test profile restarts the application in a class loader of its own, where this class starts
            // afresh: the server's address, kept where every class loader of the JVM looks, makes the next start
            // create a database on this server instead of starting another one.
            System.setProperty("KEYWAY_TEST_POSTGRES_URL", "jdbc:postgresql://localhost:" + server.getPort()
                    + "/postgres");
            System.setProperty("KEYWAY_TEST_POSTGRES_PASSWORD", "postgres");
            return new TestPostgres("localhost", server.getPort(), "postgres", "postgres", "postgres");
        } catch (IOException e) {
            throw new UncheckedIOException("embedded PostgreSQL did not start", e);
        }
    }

    /** Another fresh database on the same server, e.g. for the services of a second region. */
    public TestPostgres anotherDatabase() {
        return new TestPostgres(host, port, username, password, database);
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    public String reactiveUrl() {
        return "postgresql://" + host + ":" + port + "/" + database;
    }

    public String username() {
        return username;
    }

    public String password() {
        return password;
    }

    public int port() {
        return port;
    }

    public String host() {
        return host;
    }

    public String database() {
        return database;
    }

    /** Runs SQL in this JVM's database, e.g. to look at what a service wrote. */
    public void execute(String sql) {
        execute(database, sql);
    }

    /** The first column of the first row of a query, e.g. a count. */
    public Object queryValue(String sql, Object... parameters) {
        try (Connection connection = connect();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? rows.getObject(1) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("SQL failed: " + sql, e);
        }
    }

    public long count(String sql, Object... parameters) {
        return ((Number) queryValue(sql, parameters)).longValue();
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), username, password);
    }

    private void execute(String db, String sql) {
        try (Connection connection = DriverManager.getConnection(
                "jdbc:postgresql://" + host + ":" + port + "/" + db, username, password);
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("SQL failed: " + sql, e);
        }
    }

    static String setting(String name) {
        String value = System.getProperty(name, System.getenv(name));
        return value == null || value.isBlank() ? null : value;
    }
}
