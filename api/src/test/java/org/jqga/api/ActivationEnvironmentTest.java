package org.jqga.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a real child process sees once a touched ProcessBuilder environment has been scrubbed. */
class ActivationEnvironmentTest {
    private static List<String> childEnvironment(ProcessBuilder pb) throws Exception {
        Process p = pb.redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        return out.lines().toList();
    }

    @Test
    void aTouchedEnvironmentPassesTheVariablesOnUnlessRemoved() throws Exception {
        Map<String, String> supervisor = Map.of("LISTEN_PID", "1", "LISTEN_FDS", "2", "LISTEN_FDNAMES", "a:b",
                "LISTEN_PIDFDID", "7", "NOTIFY_SOCKET", "/run/systemd/notify", "WATCHDOG_USEC", "1000",
                "WATCHDOG_PID", "1");
        ProcessBuilder leaky = new ProcessBuilder("env");
        leaky.environment().putAll(supervisor); // stands in for the JVM's snapshot taken before unsetenv
        assertTrue(childEnvironment(leaky).contains("LISTEN_FDS=2"), "the hazard this class exists for");

        ProcessBuilder scrubbed = new ProcessBuilder("env");
        scrubbed.environment().putAll(supervisor);
        scrubbed.environment().put("KEEP", "me");
        ActivationEnvironment.removeFrom(scrubbed.environment());
        List<String> seen = childEnvironment(scrubbed);
        assertTrue(seen.contains("KEEP=me"), seen.toString());
        for (String name : supervisor.keySet()) {
            assertTrue(seen.stream().noneMatch(l -> l.startsWith(name + "=")), name + " reached the child: " + seen);
        }
        assertEquals(supervisor.keySet(), ActivationEnvironment.VARIABLES);
    }
}
