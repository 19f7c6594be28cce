package dev.keyway.sso.organization;

import static dev.keyway.sso.organization.OrganizationsTest.uniqueSlug;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.keyway.common.event.Topics;
import dev.keyway.testsupport.KeywayTestStack;
import dev.keyway.testsupport.TestKafka;
import dev.keyway.testsupport.TestPostgres;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
@WithTestResource(KeywayTestStack.class)
class KafkaOutageTest {

    private final TestKafka kafka = TestKafka.get();
    private final TestPostgres db = TestPostgres.get();

    @AfterEach
    void kafkaIsBack() {
        kafka.start();
    }

    @Test
    void writesSucceedWhileKafkaIsDownAndTheEventIsDeliveredAndAppliedExactlyOnceAfterwards() throws Exception {
        // every earlier event is published before Kafka stops, so the outage's is the oldest pending and the one
        // the relay records its failures on
        String warm = createOrganization(uniqueSlug("warm"));
        await().atMost(Duration.ofSeconds(30)).until(() -> db.count(
                "select count(*) from sso.outbox where aggregate_id = ?", warm) == 0);
        kafka.stop();
        String slug = uniqueSlug("outage");

        // the write is answered while Kafka is down: it never waits for the broker
        String id = createOrganization(slug);

        await("the relay tried, failed and keeps the event").atMost(Duration.ofSeconds(15)).until(() -> db.count(
                "select count(*) from sso.outbox where aggregate_id = ? and attempts > 0",
                id) == 1);

        kafka.start();

        await().atMost(Duration.ofSeconds(30)).until(() -> db.count(
                "select count(*) from sso.outbox where aggregate_id = ?", id) == 0);
        await().atMost(Duration.ofSeconds(30)).until(() -> db.count(
                "select count(*) from sso.known_organization where id = ?::uuid", id) == 1);

        List<ConsumerRecord<String, String>> delivered = kafka.readAll(Topics.ORGS).stream()
                .filter(record -> id.equals(record.key())).toList();
        assertEquals(1, delivered.size(), "delivered once");

        Object appliedAt = db.queryValue("select updated_at from sso.known_organization where id = ?::uuid", id);
        RecordMetadata redelivered;
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new StringSerializer(), new StringSerializer())) {
            redelivered = producer.send(new ProducerRecord<>(Topics.ORGS, id, delivered.get(0).value())).get();
        }
        // sso-service commits an offset once it has handled the record before it
        await("sso-service consumed the redelivered event").atMost(Duration.ofSeconds(30)).until(() -> kafka
                .committedOffset("sso-service", Topics.ORGS, redelivered.partition()) > redelivered.offset());

        assertEquals(1, db.count("select count(*) from sso.known_organization where id = ?::uuid", id));
        assertEquals(appliedAt, db.queryValue("select updated_at from sso.known_organization where id = ?::uuid", id),
                "the redelivered event changed nothing");
    }

    private static String createOrganization(String slug) {
        return given().header("Authorization", OrganizationsTest.OPERATOR).contentType(ContentType.JSON)
                .body("{\"slug\":\"" + slug + "\",\"displayName\":\"During the outage\",\"region\":\"api\"}")
                .post("/admin/orgs")
                .then().statusCode(201).extract().path("id");
    }
}
