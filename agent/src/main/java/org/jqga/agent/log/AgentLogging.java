package org.jqga.agent.log;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.logging.StreamHandler;

/**
 * Routes java.util.logging (and so {@link System.Logger}, which the api module uses) to stderr or the log file.
 * Without {@code --verbose} only warnings and errors are written; with it, everything.
 */
public final class AgentLogging {
    // Held so the configured level is not lost when the logger is garbage-collected.
    private static final Logger JQGA = Logger.getLogger("org.jqga");

    private AgentLogging() {
    }

    public static void configure(Optional<String> logfile, boolean verbose) throws IOException {
        configure(logfile, verbose, () -> false);
    }

    /**
     * As {@link #configure(Optional, boolean)}, but nothing is written while {@code suspended} holds: while
     * filesystems are frozen a write to a log file on one of them would block the agent until a thaw that could
     * then never be received (qemu-ga disables logging for the same reason).
     */
    public static void configure(Optional<String> logfile, boolean verbose, BooleanSupplier suspended)
            throws IOException {
        OutputStream out = logfile.isPresent() ? new FileOutputStream(logfile.get(), true) : System.err;
        Handler handler = new StreamHandler(out, new QgaLogFormatter()) {
            @Override
            public synchronized void publish(java.util.logging.LogRecord record) {
                super.publish(record);
                flush(); // a daemon's log must be current when it dies
            }
        };
        handler.setLevel(Level.ALL);
        handler.setFilter(record -> !suspended.getAsBoolean());
        Logger root = Logger.getLogger("");
        for (Handler h : root.getHandlers()) {
            root.removeHandler(h);
        }
        root.addHandler(handler);
        // --verbose is about the agent, not its libraries' internals (Guice logs its start-up timings at FINE).
        root.setLevel(verbose ? Level.INFO : Level.WARNING);
        JQGA.setLevel(verbose ? Level.ALL : Level.WARNING);
    }
}
