import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * How far a consumer group is behind on one topic: the sum over its partitions of the log end minus the group's
 * committed offset. Runs from source with the broker's own client on the classpath:
 *
 * <pre>
 *   java -cp 'kafka/libs/*' ConsumerLag.java BOOTSTRAP GROUP TOPIC
 * </pre>
 */
public class ConsumerLag {

    public static void main(String[] args) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]))) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(args[1])
                    .partitionsToOffsetAndMetadata().get();
            var partitions = admin.describeTopics(List.of(args[2])).allTopicNames().get().get(args[2])
                    .partitions().stream().map(p -> new TopicPartition(args[2], p.partition()))
                    .collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest()));
            long lag = 0;
            for (var end : admin.listOffsets(partitions).all().get().entrySet()) {
                OffsetAndMetadata at = committed.get(end.getKey());
                lag += end.getValue().offset() - (at == null ? 0 : at.offset());
            }
            System.out.println(lag);
        }
    }
}
