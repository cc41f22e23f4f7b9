package io.flowrecon.devstack.net;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PortsTest {

    @Test
    void aTakenPortIsReportedWithItsNumberAndWhatWantedIt() throws Exception {
        try (ServerSocket holder = new ServerSocket()) {
            holder.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = holder.getLocalPort();

            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> Ports.requireFree(port, "Kafka", "or stop it"));
            assertTrue(e.getMessage().contains("port " + port + " (Kafka) is already in use"), e.getMessage());
        }
    }

    @Test
    void aFreePortPasses() {
        int port = Ports.freePort();
        assertDoesNotThrow(() -> Ports.requireFree(port, "Kafka", ""));
    }
}
