package dev.keyway.sso.saml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.formatters.PatternFormatter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.keyway.runtime.log.LogSafe;
import dev.keyway.sso.SsoFixture;
import dev.keyway.testsupport.KeywayTestStack;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** What a sign-in writes to the log, formatted as the console writes it: outsiders' values cannot forge a line. */
@QuarkusTest
@WithTestResource(KeywayTestStack.class)
class SamlLogLinesTest {

    private final Logger logger = Logger.getLogger(LoginAudit.class.getName());
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {

        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private Level levelBefore;

    @BeforeEach
    void captureDebugToo() {
        levelBefore = logger.getLevel();
        logger.setLevel(Level.FINE);
        logger.addHandler(capture);
    }

    @AfterEach
    void stopCapturing() {
        logger.removeHandler(capture);
        logger.setLevel(levelBefore);
    }

    @Test
    void aNameIdCarryingANewlineAndQuotesStaysOneEscapedLine() {
        SsoFixture org = SsoFixture.create("log-forge");
        String forged = "ada\" level=ERROR\n level=ERROR msg=\"forged@acme.test";

        org.post(org.response(forged).xml(), null).then().statusCode(403);

        List<String> lines = lines();
        assertTrue(lines.stream().anyMatch(line -> line.contains("reason=user-unknown")), String.join("", lines));
        assertTrue(lines.stream().anyMatch(line -> line.contains(
                "ada\\\" level=ERROR\\n level=ERROR msg=\\\"forged@acme.test")), String.join("", lines));
        for (String line : lines) {
            assertEquals(line.length() - 1, line.indexOf('\n'), "exactly one line: " + line);
            String message = line.substring(line.indexOf(" msg=\"") + 6, line.lastIndexOf('"'));
            assertFalse(message.replace("\\\"", "").contains("\""), "no raw quote inside msg=\"…\": " + line);
        }
    }

    @Test
    void eMailsAreNotWrittenAtInfo() {
        SsoFixture org = SsoFixture.create("log-pii");
        org.user("grace@acme.test", true);

        org.post(org.response("grace@acme.test").xml(), null).then().statusCode(303);
        org.post(org.response("stranger@acme.test").xml(), null).then().statusCode(403);

        List<String> info = records.stream().filter(record -> record.getLevel().intValue() >= Level.INFO.intValue())
                .map(SamlLogLinesTest::format).toList();
        assertEquals(2, info.size(), String.join("", info));
        assertTrue(info.get(0).contains("subject=" + LogSafe.pseudonym("grace@acme.test")), info.get(0));
        assertTrue(info.get(1).contains("subject=" + LogSafe.pseudonym("stranger@acme.test")), info.get(1));
        assertFalse(info.stream().anyMatch(line -> line.contains("@acme.test")), String.join("", info));
    }

    private List<String> lines() {
        return records.stream().map(SamlLogLinesTest::format).toList();
    }

    /** The record as the console handler writes it, with the service's own format. */
    private static String format(LogRecord record) {
        String pattern = ConfigProvider.getConfig().getValue("quarkus.log.console.format", String.class);
        return new PatternFormatter(pattern)
                .format(record instanceof ExtLogRecord ext ? ext : ExtLogRecord.wrap(record));
    }
}
