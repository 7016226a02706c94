package org.jqga.agent.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The idle rule on a clock the test moves: no session and no background work for the whole limit. */
class IdleExitTest {
    private final Instant start = Instant.parse("2025-01-01T00:00:00Z");
    private final AtomicReference<Instant> now = new AtomicReference<>(start);
    private final AtomicReference<Optional<Instant>> idleSince = new AtomicReference<>(Optional.of(start));
    private final AtomicReference<Optional<String>> child = new AtomicReference<>(Optional.empty());
    private final IdleExit idle = new IdleExit(idleSince::get, List.of(child::get), Duration.ofSeconds(10), now::get);

    private void advance(int seconds) {
        now.set(now.get().plusSeconds(seconds));
    }

    @Test
    void exitsOnlyAfterTheWholeLimitWithoutASession() {
        advance(9);
        assertEquals(Optional.empty(), idle.check());
        advance(1);
        assertTrue(idle.check().orElseThrow().startsWith("idle for 10 s"));
    }

    @Test
    void anOpenSessionKeepsTheAgentAndTheLimitCountsFromItsEnd() {
        advance(8);
        idleSince.set(Optional.empty()); // a client connected
        advance(30);
        assertEquals(Optional.empty(), idle.check());
        idleSince.set(Optional.of(now.get())); // it left
        advance(9);
        assertEquals(Optional.empty(), idle.check());
        advance(1);
        assertTrue(idle.check().isPresent());
    }

    @Test
    void runningBackgroundWorkKeepsTheAgentAndTheLimitCountsFromWhenItWasLastSeen() {
        child.set(Optional.of("guest-exec child pid 42"));
        advance(60);
        assertEquals(Optional.empty(), idle.check());
        child.set(Optional.empty());
        advance(9);
        assertEquals(Optional.empty(), idle.check());
        advance(1);
        assertTrue(idle.check().isPresent());
    }
}
