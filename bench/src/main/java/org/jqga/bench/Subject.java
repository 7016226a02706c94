package org.jqga.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A program under measurement and how each launch mode starts it. Agents (qemu-ga, jqga) take qemu-ga's options;
 * the JVM floor takes none and gets its socket on stdin ({@code --inetd}), which is how a JDK-only program can be
 * handed a socket.
 */
record Subject(String label, List<String> command, boolean agent) {

    static Subject agent(String label, List<String> command) {
        return new Subject(label, List.copyOf(command), true);
    }

    static Subject floor(String label, List<String> command) {
        return new Subject(label, List.copyOf(command), false);
    }

    /** Binds and listens by itself: {@code --method=unix-listen --path=SOCK}. */
    List<String> plain(Path dir, Path socket) {
        if (!agent) {
            throw new IllegalStateException(label + " only runs socket-activated");
        }
        List<String> c = new ArrayList<>(command);
        c.addAll(List.of("--method=unix-listen", "--path=" + socket, "--statedir=" + dir));
        return c;
    }

    /**
     * Under {@code systemd-socket-activate -l SOCK}: the supervisor listens, and at the first connection execs the
     * program with the listening socket as fd 3 (LISTEN_FDS=1). qemu-ga derives its method from fd 3, so no
     * --method or --path is given (qemu-ga would ignore them under activation anyway).
     */
    List<String> activated(Path supervisor, Path dir, Path socket) {
        List<String> c = new ArrayList<>(List.of(supervisor.toString(), "-l", socket.toString()));
        if (!agent) {
            c.add("--inetd");
        }
        c.addAll(command);
        if (agent) {
            c.add("--statedir=" + dir);
        }
        return c;
    }
}
