package org.jqga.transport.unix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jqga.api.BindOptions;
import org.jqga.api.Endpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnixTransportBindTest {
    @TempDir
    Path dir;

    private static int mode(Path p) throws IOException {
        return (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
    }

    /**
     * A watcher looks at the socket path as fast as it can while the socket is bound again and again: the path
     * must only ever name a socket with the requested mode (binding then chmod-ing showed rw-rw-rw- here).
     */
    @Test
    void theSocketPathNeverHasOtherPermissionsThanRequested() throws Exception {
        Path socket = dir.resolve("qga.sock");
        Set<Integer> seen = ConcurrentHashMap.newKeySet();
        AtomicBoolean done = new AtomicBoolean();
        Thread watcher = new Thread(() -> {
            while (!done.get()) {
                try {
                    seen.add(mode(socket));
                } catch (NoSuchFileException e) {
                    // between two binds
                } catch (IOException e) {
                    seen.add(-1);
                }
            }
        });
        watcher.start();
        UnixTransport transport = new UnixTransport();
        try {
            for (int i = 0; i < 200; i++) {
                Endpoint e = transport.bind(socket.toString(), new BindOptions(0600, 4));
                e.close();
            }
        } finally {
            done.set(true);
            watcher.join();
        }
        assertTrue(seen.contains(0600), "the watcher saw the socket at all: " + seen);
        assertEquals(Set.of(0600), seen, "modes seen at " + socket);
    }

    @Test
    void bindGivesTheRequestedModeRestoresTheUmaskAndCloseRemovesTheSocket() throws Exception {
        Path socket = dir.resolve("qga.sock");
        Endpoint e = new UnixTransport().bind(socket.toString(), new BindOptions(0640, 4));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(socket), files.collect(Collectors.toList()));
        }
        assertEquals(0640, mode(socket));
        int umask = UnixTransport.Sockets.LIBC.umask(022);
        UnixTransport.Sockets.LIBC.umask(umask);
        assertEquals(022, umask, "the process umask is restored after the bind");
        e.close();
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(), files.collect(Collectors.toList()));
        }
    }
}
