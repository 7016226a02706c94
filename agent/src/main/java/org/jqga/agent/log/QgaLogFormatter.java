package org.jqga.agent.log;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/** {@code <unix-seconds>.<microseconds>: <level>: <message>}, qemu-ga's log line. */
public final class QgaLogFormatter extends Formatter {
    @Override
    public String format(LogRecord r) {
        Instant t = r.getInstant();
        StringBuilder sb = new StringBuilder(96);
        sb.append(t.getEpochSecond()).append('.');
        String micros = Long.toString(t.getNano() / 1000);
        sb.append("000000", 0, 6 - micros.length()).append(micros);
        sb.append(": ").append(levelName(r.getLevel())).append(": ").append(formatMessage(r)).append('\n');
        if (r.getThrown() != null) {
            StringWriter sw = new StringWriter();
            r.getThrown().printStackTrace(new PrintWriter(sw));
            sb.append(sw);
        }
        return sb.toString();
    }

    static String levelName(Level level) {
        int v = level.intValue();
        if (v >= AgentLogging.CRITICAL.intValue()) {
            return "critical";
        }
        if (v >= Level.SEVERE.intValue()) {
            return "error";
        }
        if (v >= Level.WARNING.intValue()) {
            return "warning";
        }
        if (v >= Level.INFO.intValue()) {
            return "info";
        }
        return "debug";
    }
}
