package org.jqga.agent.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class RejectionLogTest {
    @Test
    void aFloodIsLoggedOncePerRequestUpToTheBurstThenAtTheRefillRateWithTheCountLeftOut() {
        Logger logger = Logger.getAnonymousLogger();
        logger.setUseParentHandlers(false);
        List<String> lines = new ArrayList<>();
        logger.addHandler(new Handler() {
            @Override public void publish(LogRecord r) { lines.add(r.getMessage()); }
            @Override public void flush() { }
            @Override public void close() { }
        });
        AtomicLong now = new AtomicLong();
        RejectionLog log = new RejectionLog(logger, now::get);
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
