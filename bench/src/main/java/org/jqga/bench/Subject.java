package org.jqga.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A program under measurement and how each launch mode starts it. Agents (qemu-ga, jqga) take qemu-ga's options;
 * the JVM floor takes none and gets its socket on stdin ({@code --inetd}), which is how a JDK-only program can be
 * handed a socket. {@code jvmOptions} says how an extra JVM option reaches the program's JVM: inserted after the
 * java binary of a command the harness built, or in JQGA_JAVA_OPTS for a launcher (the dist's bin/jqga appends it
 * to its own options). {@code env} holds NAME=VALUE pairs for the program's environment.
 */
record Subject(String label, List<String> command, boolean agent, JvmOptions jvmOptions, List<String> env) {

    /** Where an extra JVM option goes. */
    enum JvmOptions {
        /** The command is {@code java [flags] ...}: the option goes right after the java binary. */
        JAVA_COMMAND,
        /** The command is a launcher that appends JQGA_JAVA_OPTS to the JVM's options (dist/src/main/bin/jqga). */
        JQGA_JAVA_OPTS
    }

    Subject {
        command = List.copyOf(command);
        env = List.copyOf(env);
    }

    /** A java command the harness built. */
    static Subject java(String label, List<String> command) {
        return new Subject(label, command, true, JvmOptions.JAVA_COMMAND, List.of());
    }

    /** A command given whole (qemu-ga, --variant): a java command if its first word is a java binary, else a launcher. */
    static Subject agent(String label, List<String> command) {
        boolean java = !command.isEmpty() && Path.of(command.get(0)).getFileName().toString().equals("java");
        return new Subject(label, command, true, java ? JvmOptions.JAVA_COMMAND : JvmOptions.JQGA_JAVA_OPTS,
                List.of());
    }

    static Subject floor(String label, List<String> command) {
        return new Subject(label, command, false, JvmOptions.JAVA_COMMAND, List.of());
    }

    /** The same program with one more JVM option, passed the way this program takes JVM options. */
    Subject withJvmOption(String option) {
        if (jvmOptions == JvmOptions.JAVA_COMMAND) {
            List<String> c = new ArrayList<>(command);
            c.add(1, option);
            return new Subject(label, c, agent, jvmOptions, env);
        }
        List<String> e = new ArrayList<>();
        String opts = option;
        for (String kv : env) {
            if (kv.startsWith("JQGA_JAVA_OPTS=")) {
                opts = kv.substring("JQGA_JAVA_OPTS=".length()) + " " + option;
            } else {
                e.add(kv);
            }
        }
        e.add("JQGA_JAVA_OPTS=" + opts);
        return new Subject(label, command, agent, jvmOptions, e);
    }

    /** Binds and listens by itself: {@code --method=unix-listen --path=SOCK}. */
    List<String> plain(Path dir, Path socket) {
        if (!agent) {
            throw new IllegalStateException(label + " only runs socket-activated");
        }
        List<String> c = new ArrayList<>();
        if (!env.isEmpty()) {
            c.add("env");
            c.addAll(env);
        }
        c.addAll(command);
        c.addAll(List.of("--method=unix-listen", "--path=" + socket, "--statedir=" + dir));
        return c;
    }

    /**
     * Under {@code systemd-socket-activate -l SOCK}: the supervisor listens, and at the first connection execs the
     * program with the listening socket as fd 3 (LISTEN_FDS=1). qemu-ga derives its method from fd 3, so no
     * --method or --path is given (qemu-ga would ignore them under activation anyway). The supervisor passes the
     * program only a few variables of its own environment, so {@code env} goes through its {@code -E}.
     */
    List<String> activated(Path supervisor, Path dir, Path socket) {
        List<String> c = new ArrayList<>(List.of(supervisor.toString(), "-l", socket.toString()));
        for (String kv : env) {
            c.addAll(List.of("-E", kv));
        }
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
