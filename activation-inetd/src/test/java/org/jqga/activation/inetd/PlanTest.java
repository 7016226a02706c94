package org.jqga.activation.inetd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.util.List;
import java.util.Map;
import org.jqga.api.ActivationContext;
import org.jqga.api.ActivationOptions;
import org.jqga.api.SysExits;
import org.jqga.api.Transports;
import org.jqga.api.posix.FileType;
import org.jqga.api.posix.Posix;
import org.jqga.api.posix.SocketFamily;
import org.jqga.api.posix.SocketInfo;
import org.jqga.api.posix.SocketType;
import org.junit.jupiter.api.Test;

/** The decision alone, from hand-made evidence; the real fds are exercised by the integration tests. */
class PlanTest {
    private final Posix posix = mock(Posix.class);

    private ActivationContext ctx(ActivationOptions options) {
        return new ActivationContext(Map.of(), 42, posix, options, new Transports(List.of()));
    }

    private static ActivationOptions none() {
        return ActivationOptions.defaults();
    }

    private static ActivationOptions stdio() {
        return ActivationOptions.builder().method("stdio").build();
    }

    private static StandardInput socket(SocketType type, boolean listening, boolean connected, String address) {
        return new StandardInput.Socket(new SocketInfo(0, SocketFamily.UNIX, 1, type, listening, connected, address,
                false));
    }

    @Test
    void aConnectedNamedStreamSocketIsOneClientWithoutAnyOption() {
        Plan p = Plan.decide(ctx(none()), socket(SocketType.STREAM, false, true, "/run/qga.sock"));
        assertInstanceOf(Plan.ServeConnectionOnFd0.class, p);
    }

    @Test
    void aListeningStreamSocketIsAcceptedOn() {
        Plan p = Plan.decide(ctx(none()), socket(SocketType.STREAM, true, false, "/run/qga.sock"));
        assertInstanceOf(Plan.AcceptOnFd0.class, p);
    }

    @Test
    void aSocketpairIsNeverGuessedButServedWhenAskedFor() {
        StandardInput pair = socket(SocketType.STREAM, false, true, "");
        Plan guessed = Plan.decide(ctx(none()), pair);
        assertTrue(guessed instanceof Plan.NotMine n && n.reason().contains("socketpair")
                && n.reason().contains("--method=stdio"), guessed.toString());
        assertInstanceOf(Plan.ServeConnectionOnFd0.class, Plan.decide(ctx(stdio()), pair));
        assertInstanceOf(Plan.ServeConnectionOnFd0.class,
                Plan.decide(ctx(ActivationOptions.builder().forcedProvider("inetd").build()), pair));
    }

    @Test
    void aDatagramSocketIsRefusedPrecisely() {
        Plan p = Plan.decide(ctx(none()), socket(SocketType.DGRAM, false, false, "/run/qga.sock"));
        Plan.Refuse r = assertInstanceOf(Plan.Refuse.class, p);
        assertEquals(SysExits.EX_CONFIG, r.exitCode());
        assertTrue(r.message().startsWith("fd 0: AF_UNIX datagram socket"), r.message());
        assertTrue(r.message().contains("stream socket"), r.message());
    }

    @Test
    void aBoundButNotListeningSocketIsRefused() {
        Plan p = Plan.decide(ctx(none()), socket(SocketType.STREAM, false, false, "/run/qga.sock"));
        Plan.Refuse r = assertInstanceOf(Plan.Refuse.class, p);
        assertTrue(r.message().contains("expected a listening or a connected stream socket"), r.message());
    }

    @Test
    void aTerminalIsNeverAClientEvenWhenAskedFor() {
        StandardInput tty = new StandardInput.Terminal("/dev/pts/7");
        Plan.NotMine n = assertInstanceOf(Plan.NotMine.class, Plan.decide(ctx(none()), tty));
        assertTrue(n.reason().contains("fd 0 is a terminal (/dev/pts/7)"), n.reason());
        Plan.Refuse r = assertInstanceOf(Plan.Refuse.class, Plan.decide(ctx(stdio()), tty));
        assertEquals(SysExits.EX_USAGE, r.exitCode());
        assertTrue(r.message().startsWith("--method=stdio: fd 0 is a terminal (/dev/pts/7)"), r.message());
    }

    @Test
    void pipesAreServedOnlyWhenAskedFor() throws Exception {
        StandardInput pipe = new StandardInput.OtherFile(FileType.FIFO, "pipe:[1]");
        Plan.NotMine n = assertInstanceOf(Plan.NotMine.class, Plan.decide(ctx(none()), pipe));
        assertTrue(n.reason().contains("never guessed"), n.reason());
        when(posix.isOpen(1)).thenReturn(true);
        when(posix.fileType(1)).thenReturn(FileType.FIFO);
        Plan.ServeStdio s = assertInstanceOf(Plan.ServeStdio.class, Plan.decide(ctx(stdio()), pipe));
        assertTrue(s.input().startsWith("FIFO/pipe"), s.input());
        assertTrue(s.output().startsWith("FIFO/pipe"), s.output());
    }

    @Test
    void stdioNeedsAnOpenFd1AndNoPath() {
        StandardInput pipe = new StandardInput.OtherFile(FileType.FIFO, "");
        when(posix.isOpen(1)).thenReturn(false);
        Plan.Refuse closed = assertInstanceOf(Plan.Refuse.class, Plan.decide(ctx(stdio()), pipe));
        assertTrue(closed.message().contains("fd 1 is not open"), closed.message());
        Plan.Refuse path = assertInstanceOf(Plan.Refuse.class,
                Plan.decide(ctx(ActivationOptions.builder().method("stdio").path("/x").build()), pipe));
        assertEquals(SysExits.EX_USAGE, path.exitCode());
        assertTrue(path.message().contains("--method=stdio takes no --path (got --path=/x)"), path.message());
    }

    @Test
    void theReadyFdCannotBeTheResponseChannel() {
        when(posix.isOpen(1)).thenReturn(true);
        Plan.Refuse r = assertInstanceOf(Plan.Refuse.class, Plan.decide(
                ctx(ActivationOptions.builder().method("stdio").readyFd(1).build()),
                new StandardInput.OtherFile(FileType.FIFO, "")));
        assertTrue(r.message().startsWith("--ready-fd=1: with --method=stdio fd 1 carries the responses"),
                r.message());
    }

    @Test
    void aClosedFd0IsNotMineUnlessAskedFor() {
        assertInstanceOf(Plan.NotMine.class, Plan.decide(ctx(none()), new StandardInput.Closed()));
        Plan.Refuse r = assertInstanceOf(Plan.Refuse.class,
                Plan.decide(ctx(ActivationOptions.builder().forcedProvider("inetd").build()),
                        new StandardInput.Closed()));
        assertTrue(r.message().startsWith("--activation=inetd: fd 0 is not open"), r.message());
    }

    @Test
    void anExplicitOtherMethodDoesNotStopTheSupervisorsSocket() {
        Plan p = Plan.decide(ctx(ActivationOptions.builder().method("unix-listen").path("/tmp/x").build()),
                socket(SocketType.STREAM, true, false, "/run/qga.sock"));
        assertInstanceOf(Plan.AcceptOnFd0.class, p);
    }
}
