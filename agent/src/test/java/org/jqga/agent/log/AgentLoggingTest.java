package org.jqga.agent.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.LocalTime;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;

class AgentLoggingTest {
    @Test
    void syslogPrioritiesFollowQemuGasLevels() {
        assertEquals(2, AgentLogging.priority(AgentLogging.CRITICAL));
        assertEquals(3, AgentLogging.priority(Level.SEVERE));
        assertEquals(4, AgentLogging.priority(Level.WARNING));
        assertEquals(6, AgentLogging.priority(Level.INFO));
        assertEquals(7, AgentLogging.priority(Level.FINE));
        assertEquals("critical", QgaLogFormatter.levelName(AgentLogging.CRITICAL));
    }

    @Test
    void journalStreamThatIsNotFd2OrIsMalformedIsIgnored() {
        assertFalse(AgentLogging.stderrIsJournal(null));
        assertFalse(AgentLogging.stderrIsJournal("garbage"));
        assertFalse(AgentLogging.stderrIsJournal("1:"));
        assertFalse(AgentLogging.stderrIsJournal("0:0"));
    }

    @Test
    void earlyMessagesLookLikeGlibsDefaultHandler() {
        assertEquals("\n** (process:42): CRITICAL **: 09:05:07.030: error loading configuration from path: /x, y\n",
                GLibMessages.format("CRITICAL", 42, "error loading configuration from path: /x, y",
                        LocalTime.of(9, 5, 7, 30_000_000)));
    }
}
