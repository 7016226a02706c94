package org.jqga.api;

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
        RejectionLog log = new RejectionLog(capturing(), Level.FINE, "rejections", new AtomicLong()::get, (d, t) -> { });
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
        RejectionLog log = new RejectionLog(capturing(), Level.FINE, "rejections", now::get, (d, t) -> { });
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

    @Test
    void aFloodThatStopsIsCountedInOneSummaryLineOnceTheIntervalHasPassed() {
        AtomicLong now = new AtomicLong();
        List<Long> delays = new ArrayList<>();
        List<Runnable> scheduled = new ArrayList<>();
        RejectionLog log = new RejectionLog(capturing(), Level.WARNING, "refused clients", now::get, (d, t) -> {
            delays.add(d);
            scheduled.add(t);
        });
        for (int i = 0; i < 2000; i++) {
            log.log("refused a client: peer uid 1000 pid 7 is not allowed by --allow-peer-uid=0");
        }
        assertEquals(RejectionLog.BURST, lines.size());
        assertEquals(List.of(RejectionLog.REFILL_NANOS), delays, "one summary, due when the next line may be written");
        now.addAndGet(RejectionLog.REFILL_NANOS);
        scheduled.remove(0).run();
        assertEquals(RejectionLog.BURST + 1, lines.size());
        assertEquals("1990 more refused clients not logged (at most 10 lines at once, then one per second)",
                lines.get(lines.size() - 1));
        assertEquals(Level.WARNING, levels.get(levels.size() - 1));
        assertTrue(scheduled.isEmpty());
    }

    @Test
    void aSummaryIsNotWrittenWhenALineHasCarriedTheCount() {
        AtomicLong now = new AtomicLong();
        List<Runnable> scheduled = new ArrayList<>();
        RejectionLog log = new RejectionLog(capturing(), Level.FINE, "rejections", now::get,
                (d, t) -> scheduled.add(t));
        for (int i = 0; i < RejectionLog.BURST + 5; i++) {
            log.rejected("uid 1000", "x");
        }
        now.addAndGet(RejectionLog.REFILL_NANOS);
        log.rejected("uid 1000", "y");
        assertEquals("rejected a request from uid 1000: y (5 more rejections not logged)", lines.get(lines.size() - 1));
        scheduled.remove(0).run();
        assertEquals(RejectionLog.BURST + 1, lines.size(), lines::toString);
    }
}
