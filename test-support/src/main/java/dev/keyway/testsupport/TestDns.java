package dev.keyway.testsupport;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsQueryDecoder;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DatagramDnsResponseEncoder;
import io.netty.handler.codec.dns.DefaultDnsRawRecord;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * A DNS server for tests (UDP on 127.0.0.1, a random port, once per JVM) that answers TXT queries from a map, as a
 * domain's authoritative server would: the records of a known name, NXDOMAIN for any other. Point the service's
 * resolver at {@link #address()}; {@link KeywayTestStack} does so for {@code keyway.sso.dns.server}. Messages are
 * read and written by Netty's DNS codec, the one Vert.x's own resolver uses.
 */
public final class TestDns {

    private static TestDns instance;

    private final Map<String, List<String>> txt = new ConcurrentHashMap<>();
    private final EventLoopGroup group = new NioEventLoopGroup(1, new DefaultThreadFactory("test-dns", true));
    private final Channel channel;

    private TestDns() {
        try {
            channel = new Bootstrap().group(group).channel(NioDatagramChannel.class)
                    .handler(new ChannelInitializer<DatagramChannel>() {

                        @Override
                        protected void initChannel(DatagramChannel datagrams) {
                            datagrams.pipeline().addLast(new DatagramDnsQueryDecoder(),
                                    new DatagramDnsResponseEncoder(), new Answers());
                        }
                    })
                    .bind("127.0.0.1", 0).sync().channel();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("the test DNS server did not start", e);
        }
    }

    public static synchronized TestDns get() {
        if (instance == null) {
            instance = new TestDns();
            Teardown.register(instance.group::shutdownGracefully);
        }
        return instance;
    }

    /** {@code host:port} of this server, as {@code keyway.sso.dns.server} takes it. */
    public String address() {
        return "127.0.0.1:" + ((InetSocketAddress) channel.localAddress()).getPort();
    }

    /** Publishes the TXT records of a name, replacing what it had. */
    public void publishTxt(String name, String... values) {
        txt.put(key(name), List.of(values));
    }

    /** Removes a name: queries for it get NXDOMAIN. */
    public void remove(String name) {
        txt.remove(key(name));
    }

    private static String key(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }

    private final class Answers extends SimpleChannelInboundHandler<DatagramDnsQuery> {

        @Override
        protected void channelRead0(ChannelHandlerContext context, DatagramDnsQuery query) {
            DatagramDnsResponse response = new DatagramDnsResponse(query.recipient(), query.sender(), query.id());
            response.setRecursionDesired(query.isRecursionDesired()).setAuthoritativeAnswer(true);
            DnsQuestion question = query.recordAt(DnsSection.QUESTION);
            if (question == null) {
                context.writeAndFlush(response.setCode(DnsResponseCode.FORMERR));
                return;
            }
            response.addRecord(DnsSection.QUESTION, question);
            List<String> values = txt.get(key(question.name()));
            if (values == null) {
                response.setCode(DnsResponseCode.NXDOMAIN);
            } else if (question.type() == DnsRecordType.TXT) {
                for (String value : values) {
                    response.addRecord(DnsSection.ANSWER,
                            new DefaultDnsRawRecord(question.name(), DnsRecordType.TXT, 60, characterStrings(value)));
                }
            }
            context.writeAndFlush(response);
        }
    }

    /** TXT RDATA: the value as length-prefixed strings of at most 255 bytes each (RFC 1035 §3.3.14). */
    private static ByteBuf characterStrings(String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        ByteBuf data = Unpooled.buffer(bytes.length + bytes.length / 255 + 1);
        int offset = 0;
        do {
            int length = Math.min(255, bytes.length - offset);
            data.writeByte(length).writeBytes(bytes, offset, length);
            offset += length;
        } while (offset < bytes.length);
        return data;
    }
}
