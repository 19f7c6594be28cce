package dev.keyway.sso.eligibility;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Comparator;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.keyway.testsupport.KeywayTestStack;
import dev.keyway.testsupport.TestPostgres;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * What V5 does to a database that already holds twins (one e-mail, several login identities) and domains claimed
 * through the SAML settings: run on a fresh database migrated to just before V5 and filled as the old code would.
 * (A Quarkus test for its class path only: Flyway's PostgreSQL support is a dependency Quarkus adds.)
 */
@QuarkusTest
@WithTestResource(KeywayTestStack.class)
class OnePerEmailMigrationTest {

    private static final String ORG = "00000000-0000-0000-0000-00000000000a";
    private static final String OTHER_ORG = "00000000-0000-0000-0000-00000000000b";
    private static final String JIT = "00000000-0000-0000-0000-000000000001";
    private static final String NEWEST_DIRECTORY = "00000000-0000-0000-0000-000000000002";
    private static final String OLDER_DIRECTORY = "00000000-0000-0000-0000-000000000003";
    private static final String JIT_ALONE = "00000000-0000-0000-0000-000000000004";
    private static final String JIT_OTHER_ORG = "00000000-0000-0000-0000-000000000005";

    private static TestPostgres db;

    @BeforeAll
    static void migrateOldDatabaseWithTwins() throws SQLException {
        db = TestPostgres.get().anotherDatabase();
        // repeatable (shared) migrations have no version
        MigrationVersion v5 = MigrationVersion.fromVersion("5");
        MigrationVersion beforeV5 = Arrays.stream(flyway().load().info().all()).map(MigrationInfo::getVersion)
                .filter(version -> version != null && version.compareTo(v5) < 0)
                .max(Comparator.naturalOrder()).orElseThrow();
        flyway().target(beforeV5).load().migrate();
        try (Connection connection = db.connect(); Statement sql = connection.createStatement()) {
            sql.execute("set search_path = sso");
            sql.execute("insert into organization values ('" + ORG + "', 'acme', 'Acme', 'api', now(), now())");
            sql.execute("insert into saml_connection (org_id, settings) values ('" + ORG + "', "
                    + "'{\"emailDomains\": [\"Acme.Example\", \"acme.example\", \"not a domain\", \"mail.acme.example\"],"
                    + " \"jitProvisioning\": true}')");
            sql.execute("""
                    insert into login_user (user_id, org_id, user_name, email, active, source, updated_at) values
                    ('%s', '%s', 'Ada@acme.test', 'Ada@acme.test', true, 'jit', now() - interval '1 day'),
                    ('%s', '%s', 'ada', 'ada@acme.test', false, 'directory', now() - interval '2 days'),
                    ('%s', '%s', 'ada.l', 'ADA@acme.test', true, 'directory', now() - interval '3 days'),
                    ('%s', '%s', 'grace@acme.test', 'grace@acme.test', true, 'jit', now()),
                    ('%s', '%s', 'ada@acme.test', 'ada@acme.test', true, 'jit', now())
                    """.formatted(JIT, ORG, NEWEST_DIRECTORY, ORG, OLDER_DIRECTORY, ORG, JIT_ALONE, ORG, JIT_OTHER_ORG,
                    OTHER_ORG));
            sql.execute("""
                    insert into session (id, org_id, user_id, expires_at) values
                    (gen_random_uuid(), '%s', '%s', now() + interval '1 hour'),
                    (gen_random_uuid(), '%s', '%s', now() + interval '1 hour')
                    """.formatted(ORG, JIT, ORG, OLDER_DIRECTORY));
        }
        flyway().load().migrate();
    }

    private static FluentConfiguration flyway() {
        return Flyway.configure().dataSource(db.jdbcUrl(), db.username(), db.password()).schemas("sso")
                .locations("classpath:db/keyway-common", "classpath:db/migration");
    }

    private static long count(String where) {
        return db.count("select count(*) from sso." + where);
    }

    @Test
    void theDirectorysNewestUserKeepsTheEmailAndJustInTimeTwinsFoldIntoIt() {
        assertEquals(1, count("login_user where org_id = '" + ORG + "' and lower(email) = 'ada@acme.test'"));
        assertEquals(1, count("login_user where user_id = '" + NEWEST_DIRECTORY + "' and email = 'ada@acme.test'"));
        assertEquals(0, count("login_user where user_id = '" + JIT + "'"));
        assertEquals(1, count("session where user_id = '" + NEWEST_DIRECTORY + "'"));
        assertEquals(1, count("login_user where user_id = '" + OLDER_DIRECTORY + "' and email is null"));
        assertEquals(1, count("session where user_id = '" + OLDER_DIRECTORY + "'"));
        // a just-in-time user without a twin, and one of another organization, stay as they were
        assertEquals(1, count("login_user where user_id = '" + JIT_ALONE + "' and email = 'grace@acme.test'"));
        assertEquals(1, count("login_user where user_id = '" + JIT_OTHER_ORG + "' and email = 'ada@acme.test'"));
    }

    @Test
    void aSecondIdentityForTheSameEmailIsRefusedFromNowOn() {
        try (Connection connection = db.connect(); Statement sql = connection.createStatement()) {
            sql.execute("insert into sso.login_user (user_id, org_id, user_name, email, active) values "
                    + "(gen_random_uuid(), '" + ORG + "', 'x', 'GRACE@acme.test', true)");
            throw new AssertionError("a second identity for grace@acme.test was accepted");
        } catch (SQLException e) {
            assertEquals("23505", e.getSQLState());
        }
    }

    @Test
    void domainsClaimedInTheSettingsCarryOverUnverified() {
        assertEquals(2, count("email_domain where org_id = '" + ORG + "' and verified_at is null "
                + "and domain in ('acme.example', 'mail.acme.example') and length(token) >= 32"));
        assertEquals(2, count("email_domain"));
        assertEquals(0, count("saml_connection where settings -> 'emailDomains' is not null"));
        assertEquals(1, count("saml_connection where settings -> 'jitProvisioning' = 'true'"));
    }
}
