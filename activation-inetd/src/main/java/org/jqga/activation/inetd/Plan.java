package org.jqga.activation.inetd;

import java.util.Optional;
import org.jqga.api.ActivationContext;
import org.jqga.api.SysExits;
import org.jqga.api.posix.FileType;
import org.jqga.api.posix.Posix;
import org.jqga.api.posix.PosixException;
import org.jqga.api.posix.SocketFamily;
import org.jqga.api.posix.SocketInfo;
import org.jqga.api.posix.SocketType;

/**
 * What to do with fd 0, decided from the evidence alone (no side effects), so that {@code activate} and
 * {@code explain} can never disagree. Three outcomes as everywhere in the framework: not mine, mine but wrong,
 * proved.
 */
sealed interface Plan {
    /** Not an inetd-style start; the reason is shown by {@code --explain-activation}. */
    record NotMine(String reason) implements Plan {
    }

    /** Clearly meant for us, but it cannot be served. */
    record Refuse(int exitCode, String message) implements Plan {
    }

    /** A listening stream socket on fd 0: inetd {@code wait}, s6-ipcserver-socketbinder. */
    record AcceptOnFd0(SocketInfo info) implements Plan {
    }

    /** A connected stream socket on fd 0: inetd {@code nowait}, UCSPI servers, socat; one session, then exit. */
    record ServeConnectionOnFd0(SocketInfo info) implements Plan {
    }

    /** Requests from fd 0, responses to fd 1 (pipes, FIFO, file), only when asked for explicitly. */
    record ServeStdio(String input, String output) implements Plan {
    }

    String STDIO_METHOD = "stdio";

    static Plan decide(ActivationContext ctx, StandardInput stdin) {
        Optional<String> method = ctx.options().method();
        boolean stdioMethod = method.filter(STDIO_METHOD::equals).isPresent();
        boolean forced = ctx.options().forcedProvider().filter(InetdActivationProvider.NAME::equals).isPresent();
        boolean explicit = stdioMethod || forced;
        String asked = stdioMethod ? "--method=stdio" : "--activation=inetd";
        if (stdioMethod && ctx.options().path().isPresent()) {
            return new Refuse(SysExits.EX_USAGE, "--method=stdio takes no --path (got --path="
                    + ctx.options().path().get() + "): the channel is fd 0 and fd 1");
        }
        if (stdin instanceof StandardInput.Closed) {
            return explicit ? new Refuse(SysExits.EX_CONFIG, asked + ": fd 0 is not open, so there is no client"
                    + " to read requests from") : new NotMine("fd 0 is not open");
        }
        if (stdin instanceof StandardInput.Uninspectable u) {
            return explicit ? new Refuse(SysExits.EX_OSERR, asked + ": " + u.error())
                    : new NotMine("fd 0 cannot be inspected: " + u.error());
        }
        if (stdin instanceof StandardInput.Terminal t) {
            String what = "fd 0 is a terminal" + (t.device().isEmpty() ? "" : " (" + t.device() + ")")
                    + ", and a terminal is never served as a client";
            return explicit ? new Refuse(SysExits.EX_USAGE, asked + ": " + what + "; pipe the requests in"
                    + " (echo '{\"execute\":\"guest-ping\"}' | jqga --method=stdio), or use --method=isa-serial"
                    + " for a serial line") : new NotMine(what);
        }
        if (stdin instanceof StandardInput.Socket s) {
            return socketPlan(s.info(), explicit, asked);
        }
        StandardInput.OtherFile f = (StandardInput.OtherFile) stdin;
        String fd0 = f.type() + (f.target().isEmpty() ? "" : " " + f.target());
        if (!explicit) {
            return new NotMine("fd 0 is a " + fd0 + "; plain stdio is served only with --method=stdio or"
                    + " --activation=inetd, never guessed");
        }
        if (f.type() == FileType.DIRECTORY) {
            return new Refuse(SysExits.EX_CONFIG, asked + ": fd 0 is a directory; expected a pipe, FIFO or file"
                    + " to read requests from");
        }
        return stdioPlan(ctx.posix(), ctx, fd0, asked);
    }

    private static Plan socketPlan(SocketInfo info, boolean explicit, String asked) {
        String fd0 = "fd 0: " + info.describe();
        if (info.type() != SocketType.STREAM) {
            return new Refuse(SysExits.EX_CONFIG, fd0 + ": the guest agent protocol needs a stream socket"
                    + " (in inetd.conf write 'stream', not 'dgram'; a systemd socket unit needs ListenStream=)");
        }
        if (info.listening()) {
            return new AcceptOnFd0(info);
        }
        if (!info.connected()) {
            return new Refuse(SysExits.EX_CONFIG, fd0 + ": expected a listening or a connected stream socket"
                    + " (s6-ipcserver-socketbinder -b 0 binds without listening)");
        }
        if (info.family() == SocketFamily.UNIX && info.localAddress().isEmpty() && !explicit) {
            // An unnamed connected AF_UNIX socket is a socketpair: socat's EXEC without nofork, or the stdio of
            // a parent such as a libuv program. Only an explicit choice makes it a client.
            return new NotMine(fd0 + " (a socketpair, e.g. socat's EXEC without nofork); it is served only with"
                    + " --method=stdio or --activation=inetd, never guessed");
        }
        return new ServeConnectionOnFd0(info);
    }

    private static Plan stdioPlan(Posix posix, ActivationContext ctx, String fd0, String asked) {
        if (!posix.isOpen(1)) {
            return new Refuse(SysExits.EX_CONFIG, asked + ": fd 1 is not open; responses are written to fd 1");
        }
        if (ctx.options().readyFd().isPresent() && ctx.options().readyFd().getAsInt() == 1) {
            return new Refuse(SysExits.EX_USAGE, "--ready-fd=1: with " + asked + " fd 1 carries the responses;"
                    + " give the notification pipe another number");
        }
        String fd1;
        try {
            fd1 = posix.fileType(1).toString();
        } catch (PosixException e) {
            return new Refuse(SysExits.EX_OSERR, asked + ": " + e.getMessage());
        }
        String target = StandardInput.target(1);
        return new ServeStdio(fd0, fd1 + (target.isEmpty() ? "" : " " + target));
    }
}
