package org.jqga.agent.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class RejectionLogTest {
    private final List<String> lines = new ArrayList<>();
    private final List<Level> levels = new ArrayList<>();

    private Logger capturing() {
        Logger logger = Logger.getAnonymousLogger();
        logger.setUseParentHandlers(false);
        logger.setLevel(Level.ALL);
        logger.addHandler(new Handler() {
            @Override public void publish(LogRecord r) {
                lines.add(r.getMessage());
                levels.add(r.getLevel());
            }
            @Override public void flush() { }
            @Override public void close() { }
        });
        return logger;
    }

    @Test
    void rejectedRequestsAndSyncBytesAreDebugLinesNotWarnings() {
        RejectionLog log = new RejectionLog(capturing(), Level.FINE, new AtomicLong()::get);
        log.rejected("uid 1000", "JSON parse error, stray '\u00ff'");
        log.rejected("uid 1000", "QMP input must be a JSON object");
        assertEquals(List.of(Level.FINE, Level.FINE), levels);
    }

    @Test
    void theAgentsRejectionLogWritesNoWarnings() {
        Logger real = Logger.getLogger(RejectionLog.class.getName());
        List<Level> seen = new ArrayList<>();
        Handler h = new Handler() {
            @Override public void publish(LogRecord r) { seen.add(r.getLevel()); }
            @Override public void flush() { }
            @Override public void close() { }
        };
        Level before = real.getLevel();
        real.setLevel(Level.ALL);
        real.addHandler(h);
        try {
            new RejectionLog().rejected("uid 1000", "JSON parse error, stray '\u00ff'");
        } finally {
            real.removeHandler(h);
            real.setLevel(before);
        }
        assertEquals(List.of(Level.FINE), seen);
    }

    @Test
    void aFloodIsLoggedOncePerRequestUpToTheBurstThenAtTheRefillRateWithTheCountLeftOut() {
        AtomicLong now = new AtomicLong();
        RejectionLog log = new RejectionLog(capturing(), Level.FINE, now::get);
        for (int i = 0; i < 1000; i++) {
            log.rejected("uid 1000", "JSON parse error, stray '@'");
        }
        assertEquals(RejectionLog.BURST, lines.size());
        now.addAndGet(RejectionLog.REFILL_NANOS);
        assertTrue(log.rejected("uid 1000", "The command x has not been found"));
        assertEquals("rejected a request from uid 1000: The command x has not been found (990 more rejections"
                + " not logged)", lines.get(lines.size() - 1));
        assertEquals(false, log.rejected("uid 1000", "again"));
    }
}
