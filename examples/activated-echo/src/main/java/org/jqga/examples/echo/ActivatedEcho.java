package org.jqga.examples.echo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jqga.api.ActivationException;
import org.jqga.api.InheritedSocket;
import org.jqga.api.InheritedSockets;

/**
 * A line-echo server that serves every socket its supervisor passed (systemd's LISTEN_FDS, inetd's or a UCSPI
 * server's fd 0), or binds {@code --listen=PATH} itself when it was passed none; it reports readiness to systemd
 * ({@code NOTIFY_SOCKET}) or s6 ({@code --ready-fd=N}). Written against {@link InheritedSockets} and the JDK only.
 */
public final class ActivatedEcho {
    /** Log lines go to stderr: under inetd-style activation stdout was the client's socket. */
    private static final PrintStream LOG = System.err;

    private ActivatedEcho() {
    }

    public static void main(String[] args) throws Exception {
        String listen = null;
        Integer readyFd = null;
        for (String arg : args) {
            if (arg.startsWith("--listen=")) {
                listen = arg.substring("--listen=".length());
            } else if (arg.startsWith("--ready-fd=")) {
                readyFd = Integer.valueOf(arg.substring("--ready-fd=".length()));
            } else {
                LOG.println("activated-echo: unknown argument " + arg + "; usage: activated-echo [--listen=PATH]"
                        + " [--ready-fd=N]");
                System.exit(64); // EX_USAGE
            }
        }
        InheritedSockets inherited;
        try {
            inherited = readyFd == null ? InheritedSockets.take() : InheritedSockets.take(readyFd);
        } catch (ActivationException e) {
            LOG.println("activated-echo: " + e.getMessage());
            System.exit(e.exitCode());
            return;
        }
        inherited.explanation().forEach(line -> LOG.println("activated-echo: " + line));

        List<Thread> servers = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (InheritedSocket socket : inherited.sockets()) {
            LOG.println("activated-echo: serving " + socket.describe());
            names.add(socket.name());
            servers.add(socket.listening() ? start(() -> acceptLoop(socket.name(), socket.listener()))
                    : start(() -> echo(socket.name(), socket.connection())));
        }
        if (inherited.sockets().isEmpty()) {
            if (listen == null) {
                LOG.println("activated-echo: no sockets were passed (" + String.join("; ", inherited.explanation())
                        + ") and no --listen=PATH was given");
                System.exit(64);
            }
            String path = listen;
            ServerSocketChannel own = bind(Path.of(path));
            LOG.println("activated-echo: serving " + path + " (bound by itself)");
            names.add(path);
            servers.add(start(() -> acceptLoop(path, own)));
        }
        Runtime.getRuntime().addShutdownHook(new Thread(inherited.notifier()::stopping));
        inherited.notifier().status("echoing on " + String.join(", ", names));
        inherited.notifier().ready();
        for (Thread t : servers) {
            t.join(); // a passed connection ends the process when its client is done; listeners never end
        }
        inherited.notifier().stopping();
        inherited.close();
    }

    /** A socket of our own, removed again at exit (a supervisor's socket path is never removed). */
    private static ServerSocketChannel bind(Path path) throws IOException {
        Files.deleteIfExists(path);
        ServerSocketChannel own = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        own.bind(UnixDomainSocketAddress.of(path));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                LOG.println("activated-echo: cannot remove " + path + ": " + e.getMessage());
            }
        }));
        return own;
    }

    private interface Server {
        void run() throws IOException;
    }

    private static Thread start(Server server) {
        Thread t = new Thread(() -> {
            try {
                server.run();
            } catch (IOException e) {
                LOG.println("activated-echo: " + e); // the class too: a closed channel's exception has no message
            }
        });
        t.start();
        return t;
    }

    private static void acceptLoop(String name, ServerSocketChannel listener) throws IOException {
        while (true) {
            SocketChannel client = listener.accept();
            start(() -> echo(name, client));
        }
    }

    /** Each line back as it came, until the client closes. */
    private static void echo(String name, SocketChannel client) throws IOException {
        try (client) {
            BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(client),
                    StandardCharsets.UTF_8));
            OutputStream out = Channels.newOutputStream(client);
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        LOG.println("activated-echo: a client of " + name + " is done");
    }
}
