package org.jqga.agent.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.jqga.agent.dispatch.CommandException;
import org.junit.jupiter.api.Test;

/** Real children through the real libc: what qemu-ga's helpers see and how their ends are told apart. */
class NativeProgramRunnerTest {
    private static final Map<String, String> ENV = Map.of("PATH", "/usr/bin:/bin", "LISTEN_FDS", "1",
            "LISTEN_PID", "1", "NOTIFY_SOCKET", "/run/x", "WATCHDOG_USEC", "1000", "KEPT", "yes");
    private final NativeProgramRunner runner = new NativeProgramRunner(Libc.load(), ENV);

    private ProgramOutcome sh(String script) throws InterruptedException {
        return runner.run(List.of("sh", "-c", script));
    }

    @Test
    void exitStatusAndOutputOfBothStreams() throws Exception {
        assertEquals(new ProgramOutcome.Exited(3, "out\nerr\n"), sh("echo out; echo err >&2; exit 3"));
    }

    @Test
    void aSignalIsNotAnExitStatus() throws Exception {
        assertEquals(new ProgramOutcome.Signaled(9, "before\n"), sh("echo before; kill -9 $$"));
        assertEquals(new ProgramOutcome.Exited(137, ""), sh("exit 137"));
    }

    @Test
    void killedHelperIsReportedAsQemuGaDoes() {
        CommandException e = org.junit.jupiter.api.Assertions.assertThrows(CommandException.class,
                () -> RunCommand.runOrFail(runner, List.of("sh", "-c", "kill -TERM $$"), "shutdown"));
        assertEquals("child process has terminated abnormally", e.getMessage());
    }

    @Test
    void ownSessionNullStdinAndNoActivationVariables() throws Exception {
        // Field 6 of /proc/PID/stat is the session id: a session leader's is its own pid.
        ProgramOutcome o = sh("read -r pid comm state ppid pgrp sid rest < /proc/$$/stat; [ \"$sid\" = \"$$\" ]"
                + " && echo own-session; cat; echo \"${LISTEN_FDS-none} ${LISTEN_PID-none} ${NOTIFY_SOCKET-none}"
                + " ${WATCHDOG_USEC-none} $KEPT\"");
        assertEquals(new ProgramOutcome.Exited(0, "own-session\nnone none none none yes\n"), o);
    }

    @Test
    void missingProgramIsNotStartedWithEnoent() throws Exception {
        ProgramOutcome o = runner.run(List.of("jqga-no-such-helper"));
        assertEquals(new ProgramOutcome.NotStarted(Libc.ENOENT, "No such file or directory"), o);
        ProgramOutcome absolute = runner.run(List.of("/nonexistent/helper"));
        assertTrue(absolute instanceof ProgramOutcome.NotStarted n && n.errno() == Libc.ENOENT, absolute::toString);
    }
}
