package org.jqga.activation.systemd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.jqga.api.ActivationException;
import org.jqga.api.SysExits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXDatagramSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/** sd_notify datagrams received by a real AF_UNIX datagram socket, as systemd's would be. */
class SystemdNotifierTest {
    private static final long PID = ProcessHandle.current().pid();
    private AFUNIXDatagramSocket receiver;
    private SystemdNotifier notifier;

    @TempDir
    Path dir;

    @AfterEach
    void close() {
        if (notifier != null) {
            notifier.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    private String bindPath() throws IOException {
        Path p = dir.resolve("notify");
        receiver = AFUNIXDatagramSocket.newInstance();
        receiver.bind(AFUNIXSocketAddress.of(p));
        receiver.setSoTimeout(30_000);
        return p.toString();
    }

    private String receive() throws IOException {
        DatagramPacket packet = new DatagramPacket(new byte[4096], 4096);
        receiver.receive(packet);
        return new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
    }

    private SystemdNotifier notifier(Map<String, String> env) throws ActivationException {
        notifier = SystemdNotifier.fromEnvironment(env, PID).orElseThrow();
        return notifier;
    }

    @Test
    void sendsEachStateAsOneDatagramToAPath() throws Exception {
        SystemdNotifier n = notifier(Map.of("NOTIFY_SOCKET", bindPath()));
        n.status("serving 2 endpoints: qga.sock, vsock:4294967295:1234");
        n.ready();
        n.reloading();
        n.stopping();
        assertEquals("STATUS=serving 2 endpoints: qga.sock, vsock:4294967295:1234", receive());
        assertEquals("READY=1", receive());
        String reloading = receive();
        assertTrue(reloading.matches("RELOADING=1\nMONOTONIC_USEC=\\d+"), reloading);
        assertEquals("STOPPING=1", receive());
    }

    @Test
    void reachesAnAbstractSocketByItsExactName() throws Exception {
        String name = "jqga-notify-test-" + PID + "-" + System.nanoTime();
        receiver = AFUNIXDatagramSocket.newInstance();
        // Bound with the exact bytes "\0name": a sender that padded the address would reach a different name.
        receiver.bind(AFUNIXSocketAddress.of(("\0" + name).getBytes(StandardCharsets.UTF_8)));
        receiver.setSoTimeout(30_000);
        notifier(Map.of("NOTIFY_SOCKET", "@" + name)).status("multi\nline");
        assertEquals("STATUS=multi line", receive());
    }

    @Test
    void noNotifySocketMeansNoNotifier() throws Exception {
        assertEquals(Optional.empty(), SystemdNotifier.fromEnvironment(Map.of("WATCHDOG_USEC", "1000"), PID));
    }

    @Test
    void aRelativeNotifySocketIsAnError() {
        ActivationException e = assertThrows(ActivationException.class,
                () -> SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", "run/notify"), PID));
        assertEquals("NOTIFY_SOCKET=\"run/notify\": expected an absolute socket path or @abstract-name",
                e.getMessage());
        assertEquals(SysExits.EX_DATAERR, e.exitCode());
    }

    @Test
    void watchdogPingsStartWithReadyAtHalfTheTimeout() throws Exception {
        SystemdNotifier n = notifier(Map.of("NOTIFY_SOCKET", bindPath(), "WATCHDOG_USEC", "200000",
                "WATCHDOG_PID", Long.toString(PID)));
        assertEquals(Optional.of(Duration.ofMillis(100)), n.watchdogInterval());
        n.ready();
        assertEquals("READY=1", receive());
        assertEquals("WATCHDOG=1", receive());
        assertEquals("WATCHDOG=1", receive());
        n.stopping();
        String next;
        do {
            next = receive(); // a ping already under way may still arrive before STOPPING=1
        } while (next.equals("WATCHDOG=1"));
        assertEquals("STOPPING=1", next);
    }

    @Test
    void aWatchdogForAnotherProcessIsNotOurs() throws Exception {
        SystemdNotifier n = notifier(Map.of("NOTIFY_SOCKET", bindPath(), "WATCHDOG_USEC", "200000",
                "WATCHDOG_PID", "1"));
        assertEquals(Optional.empty(), n.watchdogInterval());
    }

    @Test
    void aMalformedWatchdogTimeoutIsAnError() {
        ActivationException e = assertThrows(ActivationException.class, () -> SystemdNotifier.fromEnvironment(
                Map.of("NOTIFY_SOCKET", "/run/x", "WATCHDOG_USEC", "soon"), PID));
        assertEquals("WATCHDOG_USEC=\"soon\": expected the watchdog timeout in microseconds, a positive whole number",
                e.getMessage());
    }

    @Test
    void storesFdsWithTheirName() throws Exception {
        SystemdNotifier n = notifier(Map.of("NOTIFY_SOCKET", bindPath()));
        receiver.ensureAncillaryReceiveBufferSize(256);
        Path state = Files.writeString(dir.resolve("state"), "kept across restarts");
        try (FileInputStream in = new FileInputStream(state.toFile())) {
            assertTrue(n.storeFds("state", in.getFD()));
        }
        assertEquals("FDSTORE=1\nFDNAME=state", receive());
        FileDescriptor[] received = receiver.getReceivedFileDescriptors();
        assertEquals(1, received.length);
        try (FileInputStream copy = new FileInputStream(received[0])) {
            assertEquals("kept across restarts", new String(copy.readAllBytes(), StandardCharsets.UTF_8));
        }
        n.removeStoredFds("state");
        assertEquals("FDSTOREREMOVE=1\nFDNAME=state", receive());
        assertThrows(IllegalArgumentException.class, () -> n.storeFds("a:b", FileDescriptor.in));
    }

    @Test
    void aVanishedSupervisorIsNotFatal() throws Exception {
        SystemdNotifier n = notifier(Map.of("NOTIFY_SOCKET", dir.resolve("nobody").toString()));
        assertEquals(false, n.send("READY=1"));
        n.stopping(); // logged once, never thrown
    }
}
