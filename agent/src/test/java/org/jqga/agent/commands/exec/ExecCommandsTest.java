package org.jqga.agent.commands.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonNull;
import com.google.gson.JsonPrimitive;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jqga.agent.dispatch.CommandException;
import org.jqga.agent.linux.ErrnoException;
import org.jqga.agent.linux.Libc;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExecCommandsTest {
    @TempDir
    Path dir;

    @Test
    void captureOutputTakesBooleansAndModeNames() throws Exception {
        assertEquals(Processes.CaptureMode.NONE, ExecCommands.captureMode(null));
        assertEquals(Processes.CaptureMode.SEPARATED, ExecCommands.captureMode(new JsonPrimitive(true)));
        assertEquals(Processes.CaptureMode.NONE, ExecCommands.captureMode(new JsonPrimitive(false)));
        assertEquals(Processes.CaptureMode.MERGED, ExecCommands.captureMode(new JsonPrimitive("merged")));
        assertEquals(Processes.CaptureMode.STDERR, ExecCommands.captureMode(new JsonPrimitive("stderr")));
        assertEquals("Parameter 'capture-output' does not accept value 'all'", assertThrows(CommandException.class,
                () -> ExecCommands.captureMode(new JsonPrimitive("all"))).getMessage());
        assertEquals("Invalid parameter type for 'capture-output', expected: GuestExecCaptureOutput",
                assertThrows(CommandException.class,
                        () -> ExecCommands.captureMode(JsonNull.INSTANCE)).getMessage());
    }

    @Test
    void captureKeepsExactlyTheLimitAndMarksOnlyMoreAsTruncated() {
        Capture c = new Capture(8);
        c.append("12345678".getBytes(), 8);
        assertFalse(c.truncated());
        c.append("9".getBytes(), 1);
        assertTrue(c.truncated());
        assertEquals(8, c.size());
        assertEquals("MTIzNDU2Nzg=", c.base64());
    }

    @Test
    void waitStatusesBecomeExitcodeOrSignal() {
        ChildProcess exited = new ChildProcess(1, null, null);
        assertEquals(new ExecCommands.ExecStatus(false, null, null, null, null, null, null), exited.status());
        exited.reaped(3 << 8);
        assertEquals(new ExecCommands.ExecStatus(true, 3L, null, null, null, null, null), exited.status());
        ChildProcess killed = new ChildProcess(2, null, null);
        killed.reaped(9);
        assertEquals(new ExecCommands.ExecStatus(true, null, 9L, null, null, null, null), killed.status());
    }

    @Test
    void aCapturingChildIsRunningUntilItsPipesAreAtEndOfFile() {
        Capture out = new Capture();
        ChildProcess child = new ChildProcess(1, out, null);
        child.reaped(0);
        assertFalse(child.status().exited());
        out.append("hi\n".getBytes(), 3);
        out.close();
        assertEquals(new ExecCommands.ExecStatus(true, 0L, null, "aGkK", null, false, null), child.status());
    }

    @Test
    void theInheritedEnvironmentHasNoSupervisionVariables() {
        Processes p = new Processes(Libc.load(), Map.of("PATH", "/bin", "LISTEN_FDS", "1", "LISTEN_PID", "7",
                "LISTEN_FDNAMES", "x", "NOTIFY_SOCKET", "/run/n", "WATCHDOG_USEC", "1", "HOME", "/root"));
        assertEquals(List.of("HOME=/root", "PATH=/bin"), p.inheritedEnvironment().stream().sorted().toList());
    }

    @Test
    void programsAreSearchedInThePathOfTheGivenEnvironmentElseTheAgents() throws Exception {
        Path bin = Files.createDirectory(dir.resolve("bin"));
        Path tool = bin.resolve("tool");
        Files.writeString(tool, "#!/bin/sh\n");
        Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path plain = bin.resolve("plain");
        Files.writeString(plain, "not executable");
        Processes p = new Processes(Libc.load(), Map.of("PATH", "/nonexistent:" + bin));
        assertEquals(tool.toString(), p.resolve("tool", Optional.empty()));
        assertEquals("/x/y", p.resolve("/x/y", Optional.empty()));
        ErrnoException absent = assertThrows(ErrnoException.class,
                () -> p.resolve("tool", Optional.of(List.of("PATH=/nonexistent"))));
        assertEquals(Libc.ENOENT, absent.errno());
        assertEquals(Libc.EACCES, assertThrows(ErrnoException.class,
                () -> p.resolve("plain", Optional.empty())).errno());
        assertEquals(tool.toString(), p.resolve("tool", Optional.of(List.of("A=b", "PATH=" + bin))));
    }

    @Test
    void statusOfAnUnknownPidNamesIt() {
        Processes p = new Processes(Libc.load(), Map.of());
        assertEquals("PID 0 does not exist", assertThrows(CommandException.class, () -> p.status(0)).getMessage());
    }
}
