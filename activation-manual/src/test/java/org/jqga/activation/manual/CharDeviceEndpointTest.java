package org.jqga.activation.manual;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.jqga.api.Connection;
import org.jqga.api.EndpointKind;
import org.jqga.api.posix.Posix;
import org.jqga.api.posix.PosixException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The character-device endpoint against a real pseudo-terminal: the test is the host on the master side, the
 * endpoint opens the slave through a symbolic link, as {@code /dev/virtio-ports/org.qemu.guest_agent.0} links to
 * {@code /dev/vportNpM}. Hang-up is the master closing; reconnecting is a new pseudo-terminal behind the link.
 */
class CharDeviceEndpointTest {
    private static final int WAIT = 20_000;
    private final Posix posix = Posix.load();

    @TempDir
    Path dir;

    /** On a thread of its own: the common pool may have a single thread on a small machine. */
    private static <T> CompletableFuture<T> async(java.util.concurrent.Callable<T> task) {
        CompletableFuture<T> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                f.complete(task.call());
            } catch (Exception e) {
                f.completeExceptionally(e);
            }
        });
        t.setDaemon(true);
        t.start();
        return f;
    }

    private static CompletableFuture<Connection> openAsync(CharDeviceEndpoint endpoint) {
        return async(() -> endpoint.open().orElseThrow());
    }

    /**
     * Sends {@code text} every 100 ms until {@code session} begins: a device being (re)opened flushes what arrived
     * before, as qemu-ga does, so a host repeats itself until it is heard (as its guest-sync does).
     */
    private static Connection sendUntilOpened(PtyHost host, String text, CompletableFuture<Connection> session)
            throws Exception {
        for (int i = 0; i < WAIT / 100; i++) {
            host.send(text);
            try {
                return session.get(100, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                // not yet
            }
        }
        throw new AssertionError("no session began within " + WAIT + " ms");
    }

    private static String read(Connection c, int n) throws IOException {
        return new String(c.in().readNBytes(n), StandardCharsets.UTF_8);
    }

    @Test
    void sessionsFollowTheHostAcrossHangUpAndReconnect() throws Exception {
        Path link = dir.resolve("org.qemu.guest_agent.0");
        PtyHost host1 = new PtyHost(posix);
        Files.createSymbolicLink(link, Path.of(host1.slavePath()));
        int fd = CharDeviceEndpoint.openChecked(posix, link.toString(), true);
        CharDeviceEndpoint endpoint = new CharDeviceEndpoint(posix, "isa-serial", link.toString(), true, fd);
        try {
            assertEquals(EndpointKind.CHARDEV, endpoint.kind());
            CompletableFuture<Connection> first = openAsync(endpoint);
            host1.send("hello");
            Connection c1 = first.get(WAIT, TimeUnit.MILLISECONDS);
            assertEquals("hello", read(c1, 5));
            c1.out().write("world".getBytes(StandardCharsets.UTF_8));
            assertEquals("world", host1.receive(5, WAIT));
            host1.send("{\"half");
            assertEquals("{\"half", read(c1, 6));

            host1.close(); // the host goes away in the middle of a request
            assertEquals(-1, c1.in().read(), "a hang-up ends the session");
            c1.close();

            // A new host appears behind the same path; the endpoint reopens it and starts a new session.
            PtyHost host2 = new PtyHost(posix);
            try {
                Files.delete(link);
                Files.createSymbolicLink(link, Path.of(host2.slavePath()));
                Connection c2 = sendUntilOpened(host2, "again", openAsync(endpoint));
                assertEquals("again", read(c2, 5), "the new session starts with the new host's bytes only");
                assertTrue(c2.peer().description().contains("session 2"), c2.peer().description());
                c2.close();
            } finally {
                host2.close();
            }
        } finally {
            endpoint.close();
        }
    }

    @Test
    void closeEndsAWaitingOpenAndAWaitingRead() throws Exception {
        try (PtyHost host = new PtyHost(posix)) {
            int fd = CharDeviceEndpoint.openChecked(posix, host.slavePath(), true);
            CharDeviceEndpoint endpoint = new CharDeviceEndpoint(posix, "isa-serial", host.slavePath(), true, fd);
            CompletableFuture<Connection> waiting = openAsync(endpoint);
            host.send("x");
            Connection c = waiting.get(WAIT, TimeUnit.MILLISECONDS);
            assertEquals("x", read(c, 1));
            CompletableFuture<Integer> reading = async(() -> c.in().read());
            CompletableFuture<Connection> nothing = openAsync(endpoint);
            endpoint.close();
            ExecutionException e = assertThrows(ExecutionException.class, () -> reading.get(WAIT, TimeUnit.MILLISECONDS));
            assertInstanceOf(IOException.class, e.getCause());
            e = assertThrows(ExecutionException.class, () -> nothing.get(WAIT, TimeUnit.MILLISECONDS));
            assertInstanceOf(IOException.class, e.getCause());
        }
    }

    @Test
    void aMissingDeviceIsWaitedForWhenTheEndpointStartsWithout() throws Exception {
        Path link = dir.resolve("late");
        CharDeviceEndpoint endpoint = new CharDeviceEndpoint(posix, "virtio-serial", link.toString(), false, -1);
        try (PtyHost host = new PtyHost(posix).raw()) {
            CompletableFuture<Connection> waiting = openAsync(endpoint);
            Files.createSymbolicLink(link, Path.of(host.slavePath()));
            assertEquals("p", read(sendUntilOpened(host, "p", waiting), 1));
        } finally {
            endpoint.close();
        }
    }

    @Test
    void openRefusesWhatIsNotACharacterDeviceAndNamesIt() throws Exception {
        Path file = Files.writeString(dir.resolve("plain"), "x");
        PosixException e = assertThrows(PosixException.class,
                () -> CharDeviceEndpoint.openChecked(posix, file.toString(), false));
        assertEquals("channel '" + file + "' is a regular file, not a character device", e.getMessage());
        e = assertThrows(PosixException.class,
                () -> CharDeviceEndpoint.openChecked(posix, dir.resolve("absent").toString(), false));
        assertEquals("error opening channel '" + dir.resolve("absent") + "': No such file or directory",
                e.getMessage());
        e = assertThrows(PosixException.class, () -> CharDeviceEndpoint.openChecked(posix, "/dev/null", true));
        assertTrue(e.getMessage().startsWith("channel '/dev/null' is a character device but not a tty"),
                e.getMessage());
    }
}
