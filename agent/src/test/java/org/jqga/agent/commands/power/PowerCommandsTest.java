package org.jqga.agent.commands.power;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import org.jqga.agent.commands.Wire;
import org.jqga.agent.linux.Errno;
import org.jqga.agent.linux.HostPaths;
import org.jqga.agent.linux.ProgramOutcome;
import org.jqga.agent.linux.RecordingRunner;
import org.jqga.api.posix.Posix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * guest-shutdown and guest-suspend-* against a temporary root and a runner that records what would be run:
 * nothing here powers off or suspends the test machine.
 */
class PowerCommandsTest {
    private static final Errno ERRNO = new Errno(Posix.load());

    @TempDir
    Path root;

    private HostPaths paths() {
        return new HostPaths(root);
    }

    private void executable(String absolute) throws IOException {
        Path p = paths().resolve(absolute);
        Files.createDirectories(p.getParent());
        Files.writeString(p, "#!/bin/sh\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private Wire shutdown(RecordingRunner runner) {
        return new Wire(new GuestShutdown(runner, paths()));
    }

    @Test
    void shutdownSendsNothingOnSuccessAndRunsPoweroffWhenItExists() throws IOException {
        executable("/sbin/poweroff");
        RecordingRunner runner = RecordingRunner.succeeding();
        assertEquals(Optional.empty(), shutdown(runner).send("{\"execute\":\"guest-shutdown\",\"id\":1}"));
        assertEquals(List.of(List.of(root.resolve("sbin/poweroff").toString())), runner.runs());
    }

    @Test
    void withoutTheModeSpecificProgramShutdownRunsSbinShutdownWithQemuGasArguments() {
        RecordingRunner runner = RecordingRunner.succeeding();
        Wire wire = shutdown(runner);
        for (String mode : List.of("halt", "reboot", "powerdown")) {
            assertEquals(Optional.empty(), wire.send("{\"execute\":\"guest-shutdown\",\"arguments\":{\"mode\":\""
                    + mode + "\"}}"));
        }
        String shutdown = root.resolve("sbin/shutdown").toString();
        assertEquals(List.of(
                List.of(shutdown, "-h", "-H", "+0", "hypervisor initiated shutdown"),
                List.of(shutdown, "-h", "-r", "+0", "hypervisor initiated shutdown"),
                List.of(shutdown, "-h", "-P", "+0", "hypervisor initiated shutdown")), runner.runs());
    }

    @Test
    void anInvalidModeIsRefusedBeforeAnythingRuns() {
        RecordingRunner runner = RecordingRunner.succeeding();
        assertEquals("{\"id\": 11, \"error\": {\"class\": \"GenericError\", \"desc\": "
                        + "\"mode is invalid (valid values are: halt|powerdown|reboot\"}}\n",
                shutdown(runner).send("{\"execute\":\"guest-shutdown\",\"arguments\":{\"mode\":\"bogus\"},\"id\":11}")
                        .orElseThrow());
        assertEquals(List.of(), runner.runs());
    }

    @Test
    void aFailedShutdownIsAnsweredWithWhatTheProgramSaidOrItsStatus() {
        Wire says = shutdown(new RecordingRunner(argv -> new ProgramOutcome.Exited(1, "Failed to talk to init\n")));
        assertEquals(Wire.error("child process has failed to shutdown: Failed to talk to init\\n"),
                says.send("{\"execute\":\"guest-shutdown\"}").orElseThrow());
        Wire silent = shutdown(new RecordingRunner(argv -> new ProgramOutcome.Exited(3, "")));
        assertEquals(Wire.error("child process has failed to shutdown: exit status 3"),
                silent.send("{\"execute\":\"guest-shutdown\"}").orElseThrow());
        Wire missing = shutdown(new RecordingRunner(argv -> new ProgramOutcome.NotStarted(Errno.ENOENT,
                "No such file or directory")));
        assertEquals(Wire.error("child process has failed to shutdown: failed to exec '"
                        + root.resolve("sbin/shutdown") + "': No such file or directory\\n"),
                missing.send("{\"execute\":\"guest-shutdown\"}").orElseThrow());
    }

    private Wire suspend(RecordingRunner runner) {
        Suspender s = new Suspender(runner, paths(), ERRNO);
        return new Wire(new GuestSuspendDisk(s), new GuestSuspendRam(s), new GuestSuspendHybrid(s));
    }

    private static ProgramOutcome notFound() {
        return new ProgramOutcome.NotStarted(Errno.ENOENT, "No such file or directory");
    }

    private void powerState(String content) throws IOException {
        Path p = paths().resolve(Suspender.SYS_POWER_STATE);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
    }

    @Test
    void systemdIsUsedWhenItHasTheUnit() {
        // systemctl status exits 3 ("inactive") for an existing unit.
        RecordingRunner runner = new RecordingRunner(argv -> new ProgramOutcome.Exited(
                argv.get(1).equals("status") ? 3 : 0, ""));
        assertEquals(Optional.empty(), suspend(runner).send("{\"execute\":\"guest-suspend-hybrid\"}"));
        assertEquals(List.of(List.of("systemctl", "status", "systemd-hybrid-sleep"),
                List.of("systemctl", "hybrid-sleep")), runner.runs());
    }

    @Test
    void pmUtilsIsNextThenTheKernelsPowerState() throws IOException {
        powerState("freeze mem disk\n");
        RecordingRunner runner = new RecordingRunner(argv -> switch (argv.get(0)) {
            case "systemctl" -> new ProgramOutcome.Exited(4, ""); // no such unit
            case "pm-is-supported" -> new ProgramOutcome.Exited(argv.get(1).equals("--suspend") ? 0 : 1, "");
            default -> new ProgramOutcome.Exited(0, "");
        });
        Wire wire = suspend(runner);
        assertEquals(Optional.empty(), wire.send("{\"execute\":\"guest-suspend-ram\"}"));
        assertEquals(List.of("pm-suspend"), runner.runs().get(runner.runs().size() - 1));
        assertEquals(Optional.empty(), wire.send("{\"execute\":\"guest-suspend-disk\"}"));
        assertEquals(List.of("pm-is-supported", "--hibernate"), runner.runs().get(runner.runs().size() - 1));
        assertTrue(Files.readString(paths().resolve(Suspender.SYS_POWER_STATE)).startsWith("disk"),
                "disk was written to /sys/power/state");
    }

    @Test
    void aModeNoStrategySupportsIsRefusedAndNothingIsWritten() throws IOException {
        powerState("freeze mem disk\n");
        RecordingRunner runner = new RecordingRunner(argv -> notFound());
        assertEquals(Wire.error("the requested suspend mode is not supported by the guest"),
                suspend(runner).send("{\"execute\":\"guest-suspend-hybrid\"}").orElseThrow());
        assertEquals("freeze mem disk\n", Files.readString(paths().resolve(Suspender.SYS_POWER_STATE)));
        powerState("freeze\n");
        assertEquals(Wire.error("the requested suspend mode is not supported by the guest"),
                suspend(runner).send("{\"execute\":\"guest-suspend-ram\"}").orElseThrow());
    }

    @Test
    void aSupportedStrategyThatFailsIsReported() {
        RecordingRunner runner = new RecordingRunner(argv -> argv.get(0).equals("systemctl")
                ? new ProgramOutcome.Exited(argv.get(1).equals("status") ? 3 : 1, "") : notFound());
        assertEquals(Wire.error("the helper program 'systemctl suspend' returned an unexpected exit status code (1)"),
                suspend(runner).send("{\"execute\":\"guest-suspend-ram\"}").orElseThrow());
        RecordingRunner denied = new RecordingRunner(argv -> argv.size() > 1 && argv.get(1).equals("status")
                ? new ProgramOutcome.Exited(3, "") : argv.get(0).equals("systemctl")
                ? new ProgramOutcome.NotStarted(Errno.EACCES, "Permission denied") : notFound());
        assertEquals(Wire.error("failed to create child process, error 'Failed to execute child process"
                        + " \\u201Csystemctl\\u201D (Permission denied)'"),
                suspend(denied).send("{\"execute\":\"guest-suspend-disk\"}").orElseThrow());
    }
}
