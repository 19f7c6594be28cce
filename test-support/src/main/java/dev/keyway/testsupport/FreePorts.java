package dev.keyway.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Ports for servers that are told their port and bind it later (a service process, a broker). A port that
 * {@code new ServerSocket(0)} found free is in the kernel's ephemeral range, so until its server binds it, any server
 * bound to port 0 or any outgoing connection may take it (in CI every operator request to sso-service's port was
 * answered 400, most likely by the system tests' trace receiver). These ports are taken below that range, where
 * neither can land, from a random point per JVM so that two test JVMs on one machine rarely meet.
 */
public final class FreePorts {

    /** Above every port the local run and the bench wiring use (deploy/regions.properties). */
    private static final int LOWEST = 20_000;

    private static final int BELOW = ephemeralRangeStart();

    private static final int BAND = BELOW - LOWEST;

    private static final AtomicInteger NEXT = new AtomicInteger(
            BAND > 0 ? ThreadLocalRandom.current().nextInt(BAND) : 0);

    private FreePorts() {
    }

    /** A port no server listens on now and the kernel will not hand out by itself. */
    public static int take() {
        if (BAND < 1_000) {
            return anyFree(); // this kernel leaves no room below its ephemeral range
        }
        for (int tries = 0; tries < BAND; tries++) {
            int port = LOWEST + Math.floorMod(NEXT.getAndIncrement(), BAND);
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress(port));
                return port;
            } catch (IOException taken) {
                // a server of this machine has it: try the next one
            }
        }
        throw new IllegalStateException("no free port between " + LOWEST + " and " + BELOW);
    }

    private static int anyFree() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The first port of Linux's ephemeral range; 32768 where the kernel does not say. */
    private static int ephemeralRangeStart() {
        try {
            // read line-wise: a /proc file reports size 0 and a sized read of it stops early
            String range = Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0);
            return Integer.parseInt(range.trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException unknown) {
            return 32_768;
        }
    }
}
