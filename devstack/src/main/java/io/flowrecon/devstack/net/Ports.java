package io.flowrecon.devstack.net;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** TCP port helpers for servers that must keep one port across restarts. */
public final class Ports {

    private Ports() {
    }

    /**
     * A port that is free right now. Servers bind it a moment later, so another process could take it
     * in between; that race is accepted because the servers here must know their port before they start
     * (Kafka advertises it and keeps it across a stop/start).
     */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free TCP port on the loopback interface", e);
        }
    }

    /** Whether something already listens on (or holds) this port on the loopback interface. */
    public static boolean isTaken(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    /**
     * Fails with a message a user can act on when the port is taken.
     *
     * @param what the server that wants the port, e.g. "Kafka"
     * @param hint what to do about it, e.g. which option or variable moves the server elsewhere
     */
    public static void requireFree(int port, String what, String hint) {
        if (isTaken(port)) {
            throw new IllegalStateException("port " + port + " (" + what + ") is already in use on localhost: "
                    + "stop whatever listens there (e.g. `ss -ltnp 'sport = :" + port + "'`) " + hint);
        }
    }
}
