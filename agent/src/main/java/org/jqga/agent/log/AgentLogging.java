package org.jqga.agent.log;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Routes java.util.logging (and so {@link System.Logger}, which the api module uses) to stderr or the log file, in
 * qemu-ga's line format. Without {@code --verbose} only warnings and errors are written; with it, everything.
 *
 * <p>When stderr is the systemd journal ({@code JOURNAL_STREAM} names the device and inode of fd 2), every line
 * starts with a {@code <N>} syslog priority, which journald turns into the entry's priority.
 *
 * <p>{@link #reopen()} reopens the log file (jqga does it on SIGHUP, for logrotate).
 */
public final class AgentLogging {
    /** qemu-ga's "critical": fatal start-up errors. Above {@link Level#SEVERE} ("error"). */
    public static final Level CRITICAL = new Level("CRITICAL", 1100) {
    };
    // Held so the configured level is not lost when the logger is garbage-collected.
    private static final Logger JQGA = Logger.getLogger("org.jqga");

    private final Optional<Path> logfile;
    private final ReopenableHandler handler;

    private AgentLogging(Optional<Path> logfile, ReopenableHandler handler) {
        this.logfile = logfile;
        this.handler = handler;
    }

    /** Compatibility entry point: no journal detection. */
    public static void configure(Optional<String> logfile, boolean verbose) throws IOException {
        configure(logfile, verbose, Map.of(), System.err, () -> false);
    }

    /**
     * @param logfile   the log file, opened in append mode (its absolute path is kept, for reopening after a
     *                  daemon changed its working directory)
     * @param env       the environment, for {@code JOURNAL_STREAM}
     * @param stderr    where to log without a log file
     * @param suspended nothing is written while this holds: while filesystems are frozen a write to a log file on
     *                  one of them would block the agent until a thaw that could then never be received (qemu-ga
     *                  disables logging for the same reason)
     */
    public static AgentLogging configure(Optional<String> logfile, boolean verbose, Map<String, String> env,
                                         PrintStream stderr, BooleanSupplier suspended) throws IOException {
        Optional<Path> file = logfile.map(f -> Path.of(f).toAbsolutePath());
        OutputStream out = file.isPresent() ? open(file.get()) : stderr;
        boolean journal = file.isEmpty() && stderrIsJournal(env.get("JOURNAL_STREAM"));
        ReopenableHandler handler = new ReopenableHandler(out, journal);
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
        return new AgentLogging(file, handler);
    }

    /** Reopens the log file at its path (after logrotate moved it away); without a log file, nothing to do. */
    public void reopen() throws IOException {
        if (logfile.isPresent()) {
            handler.replace(open(logfile.get()));
        }
    }

    /** Whether lines carry the journal's {@code <N>} priority prefix. */
    public boolean journal() {
        return handler.journal;
    }

    private static OutputStream open(Path file) throws IOException {
        return new FileOutputStream(file.toFile(), true);
    }

    /**
     * systemd's rule (sd_journal_stream_fd(3), JOURNAL_STREAM in systemd.exec(5)): stderr is the journal when the
     * variable's {@code DEVICE:INODE} equals fd 2's. A copied environment with a redirected stderr does not match.
     */
    static boolean stderrIsJournal(String journalStream) {
        if (journalStream == null) {
            return false;
        }
        int colon = journalStream.indexOf(':');
        if (colon <= 0) {
            return false;
        }
        try {
            long dev = Long.parseUnsignedLong(journalStream.substring(0, colon));
            long ino = Long.parseUnsignedLong(journalStream.substring(colon + 1));
            Map<String, Object> attrs = Files.readAttributes(Path.of("/proc/self/fd/2"), "unix:dev,ino");
            return ((Long) attrs.get("dev")) == dev && ((Long) attrs.get("ino")) == ino;
        } catch (NumberFormatException | IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** syslog priority of a level: critical 2, error 3, warning 4, info 6, debug 7. */
    static int priority(Level level) {
        int v = level.intValue();
        if (v >= CRITICAL.intValue()) {
            return 2;
        }
        if (v >= Level.SEVERE.intValue()) {
            return 3;
        }
        if (v >= Level.WARNING.intValue()) {
            return 4;
        }
        if (v >= Level.INFO.intValue()) {
            return 6;
        }
        return 7;
    }

    private static final class ReopenableHandler extends Handler {
        private final QgaLogFormatter formatter = new QgaLogFormatter();
        private final boolean journal;
        private OutputStream out;

        ReopenableHandler(OutputStream out, boolean journal) {
            this.out = out;
            this.journal = journal;
        }

        @Override
        public synchronized void publish(LogRecord record) {
            if (!isLoggable(record)) {
                return;
            }
            String text = formatter.format(record);
            if (journal) {
                String prefix = "<" + priority(record.getLevel()) + ">";
                StringBuilder sb = new StringBuilder(text.length() + 16);
                for (String line : text.split("\n")) {
                    sb.append(prefix).append(line).append('\n');
                }
                text = sb.toString();
            }
            try {
                out.write(text.getBytes(StandardCharsets.UTF_8));
                out.flush(); // a daemon's log must be current when it dies
            } catch (IOException e) {
                reportError("cannot write the log", e, java.util.logging.ErrorManager.WRITE_FAILURE);
            }
        }

        synchronized void replace(OutputStream next) throws IOException {
            OutputStream previous = out;
            out = next;
            previous.close();
        }

        @Override
        public synchronized void flush() {
            try {
                out.flush();
            } catch (IOException e) {
                reportError("cannot flush the log", e, java.util.logging.ErrorManager.FLUSH_FAILURE);
            }
        }

        @Override
        public synchronized void close() {
            flush();
        }
    }
}
