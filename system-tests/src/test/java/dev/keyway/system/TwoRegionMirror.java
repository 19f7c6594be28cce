package dev.keyway.system;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.connect.mirror.MirrorMaker;

import dev.keyway.common.event.Topics;
import dev.keyway.testsupport.Teardown;
import dev.keyway.testsupport.TestKafka;

/** MirrorMaker 2 in this JVM between the two regions' clusters, configured by the file operators use. */
final class TwoRegionMirror {

    private TwoRegionMirror() {
    }

    static void start(TestKafka api, TestKafka eu) {
        // every topic exists before the mirror first lists them: the registry's, so the first organization crosses at
        // once, and the others, so what the mirror would do with them it does from the start (TwoRegionsIT)
        api.createTopics(Topics.ORGS, Topics.DIRECTORY, Topics.IMPORTS);
        eu.createTopics(Topics.ORGS, Topics.DIRECTORY, Topics.IMPORTS);
        Path file = Path.of(System.getProperty("keyway.root", "..")).resolve("deploy/kafka/mm2.properties");
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(Files.readString(file)
                    .replace("@API_BOOTSTRAP@", api.bootstrapServers())
                    .replace("@EU_BOOTSTRAP@", eu.bootstrapServers())
                    .replace("@REPLICATION_FACTOR@", "1")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> config = new HashMap<>();
        properties.stringPropertyNames().forEach(name -> config.put(name, properties.getProperty(name)));
        MirrorMaker mirror = new MirrorMaker(config);
        mirror.start();
        Teardown.register(mirror::stop);
    }
}
