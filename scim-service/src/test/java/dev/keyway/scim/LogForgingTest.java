package dev.keyway.scim;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.keyway.testsupport.KeywayTestStack;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Values a SCIM client chooses (userName, filters) cannot forge log lines: control characters and quotes are
 * escaped wherever they are logged, and e-mail addresses never appear at INFO or above.
 */
@QuarkusTest
@WithTestResource(value = KeywayTestStack.class, initArgs = @ResourceArg(name = "trustTestAdminTokens", value = "true"))
class LogForgingTest {

    private static final String FORGED = "forged\r\nlevel=ERROR msg=\"root login\" x@acme.test";

    /** Every record of Keyway's loggers in scim-service (its own and the shared runtime's), DEBUG included. */
    private final List<ExtLogRecord> records = new CopyOnWriteArrayList<>();
    private final Logger keyway = Logger.getLogger("dev.keyway");
    private final Handler capture = new Handler() {

        @Override
        public void publish(LogRecord record) {
            records.add((ExtLogRecord) record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private Level previous;

    @BeforeEach
    void capture() {
        previous = keyway.getLevel();
        keyway.setLevel(Level.FINE);
        keyway.addHandler(capture);
    }

    @AfterEach
    void release() {
        keyway.removeHandler(capture);
        keyway.setLevel(previous);
    }

    @Test
    void attackerValuesAreEscapedAndEmailsStayOffInfo() {
        ScimOrg org = ScimOrg.create("logs");
        String user = "{\"userName\":\"" + FORGED.replace("\r", "\\r").replace("\n", "\\n").replace("\"", "\\\"")
                + "\"}";
        org.scim().body(user).post("/Users").then().statusCode(201);
        org.scim().body(user).post("/Users").then().statusCode(409);
        org.scim().queryParam("filter", "nickName eq \"a\r\nlevel=ERROR msg=\\\"forged\\\"\" and x").get("/Users")
                .then().statusCode(400);

        List<String> lines = records.stream().map(ExtLogRecord::getFormattedMessage).toList();
        assertTrue(lines.stream().anyMatch(line -> line.contains("forged\\r\\nlevel=ERROR msg=\\\"root login\\\"")),
                "the refusal was logged, escaped: " + lines);
        for (String line : lines) {
            assertFalse(line.contains("\n") || line.contains("\r"), "a line break in a log line: " + line);
        }
        records.stream().filter(record -> record.getLevel().intValue() >= Level.INFO.intValue())
                .forEach(record -> assertFalse(record.getFormattedMessage().contains("@acme.test"),
                        "an e-mail at INFO: " + record.getFormattedMessage()));
    }
}
