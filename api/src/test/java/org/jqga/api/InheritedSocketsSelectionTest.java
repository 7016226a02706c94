package org.jqga.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.jqga.api.posix.Posix;
import org.jqga.api.spi.ActivationProvider;
import org.junit.jupiter.api.Test;

/**
 * Which providers {@link InheritedSockets} asks and what it hands out when none applies; the sockets themselves
 * are tested beside the systemd provider (activation-systemd), which places real ones.
 */
class InheritedSocketsSelectionTest {
    private final Posix posix = Posix.load();
    private final Transports builtIn = Transports.load();

    /** A provider that binds its own endpoint, like jqga-activation-manual: asking it would be a failure. */
    private static final class BindsItself implements ActivationProvider {
        @Override public String name() { return "binds-itself"; }
        @Override public int priority() { return 0; }
        @Override public boolean createsEndpoints() { return true; }
        @Override public Optional<Activation> activate(ActivationContext ctx) {
            throw new AssertionError("a provider that creates endpoints must not be asked");
        }
        @Override public String explain(ActivationContext ctx) {
            throw new AssertionError("a provider that creates endpoints must not be asked to explain");
        }
    }

    @Test
    void providersThatCreateEndpointsAreNotAskedAndNamedAsSuch() throws Exception {
        try (InheritedSockets inherited = InheritedSockets.take(new Activations(List.of(new BindsItself())),
                Map.of(), posix, ActivationContext.LISTEN_FDS_START, builtIn, OptionalInt.empty())) {
            assertEquals(List.of(), inherited.sockets());
            assertEquals(Optional.empty(), inherited.activatedBy());
            assertEquals(ServiceNotifier.NONE, inherited.notifier());
            assertEquals(List.of("binds-itself (priority 0): not asked: it makes its endpoints itself rather than"
                    + " finding what a supervisor passed"), inherited.explanation());
        }
    }

    @Test
    void startedPlainlyAnS6ReadinessFdStillHearsReady() throws Exception {
        int[] pipe = posix.pipe();
        try (InheritedSockets inherited = InheritedSockets.take(new Activations(List.of()), Map.of(), posix,
                ActivationContext.LISTEN_FDS_START, builtIn, OptionalInt.of(pipe[1]))) {
            assertEquals(List.of(), inherited.sockets());
            inherited.notifier().ready();
            byte[] got = new byte[8];
            assertEquals(1, posix.read(pipe[0], got, 0, got.length));
            assertEquals('\n', got[0]);
            assertTrue(inherited.explanation().get(1).startsWith("ready-fd: fd " + pipe[1] + " is a "),
                    inherited.explanation().toString());
        } finally {
            posix.close(pipe[0]);
        }
    }

    @Test
    void aReadyFdThatIsNotAPipeIsAnErrorNamingIt() throws Exception {
        ActivationException e = assertThrows(ActivationException.class, () -> InheritedSockets.take(
                new Activations(List.of()), Map.of(), posix, ActivationContext.LISTEN_FDS_START, builtIn,
                OptionalInt.of(0)));
        assertEquals(SysExits.EX_USAGE, e.exitCode());
        assertTrue(e.getMessage().startsWith("--ready-fd=0: fd 0 is the daemon's input"), e.getMessage());
    }

    @Test
    void theProcessesSocketsAreTakenOnce() throws Exception {
        // The surefire JVM was passed no sockets, and api alone has no providers: the first take finds none.
        try (InheritedSockets first = InheritedSockets.take()) {
            assertEquals(List.of(), first.sockets());
            IllegalStateException again = assertThrows(IllegalStateException.class, InheritedSockets::take);
            assertEquals("InheritedSockets.take() was called before in this process: the inherited sockets are"
                    + " taken once, by one owner", again.getMessage());
        }
    }
}
