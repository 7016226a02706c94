package org.jqga.agent.commands.clock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.nio.file.Path;
import java.util.List;
import org.jqga.agent.commands.Wire;
import org.jqga.agent.linux.Errno;
import org.jqga.agent.linux.HostPaths;
import org.jqga.agent.linux.ProgramOutcome;
import org.jqga.agent.linux.RecordingRunner;
import org.jqga.api.posix.Posix;
import org.jqga.api.posix.PosixException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** guest-set-time with a Posix that records settimeofday and a runner that records hwclock: the clock is safe. */
class GuestSetTimeTest {
    private static final Posix REAL = Posix.load();

    @TempDir
    Path root;

    private final Posix posix = mock(Posix.class);

    @BeforeEach
    void realErrorTexts() {
        when(posix.strerror(anyInt())).thenAnswer(i -> REAL.strerror(i.getArgument(0)));
    }

    private Wire wire(RecordingRunner runner) {
        return new Wire(new GuestSetTime(posix, new Errno(posix), runner, new HostPaths(root)));
    }

    private String hwclock() {
        return root.resolve("sbin/hwclock").toString();
    }

    @Test
    void aGivenTimeSetsTheSystemClockThenTheHardwareClock() throws Exception {
        RecordingRunner runner = RecordingRunner.succeeding();
        // 2024-06-01T12:00:00.123456789Z
        assertEquals("{\"return\": {}}\n", wire(runner).send(
                "{\"execute\":\"guest-set-time\",\"arguments\":{\"time\":1717243200123456789}}").orElseThrow());
        verify(posix).setTimeOfDay(1717243200L, 123456L);
        assertEquals(List.of(List.of(hwclock(), "-w")), runner.runs());
    }

    @Test
    void withoutATimeTheSystemClockIsSetFromTheHardwareClock() throws Exception {
        RecordingRunner runner = RecordingRunner.succeeding();
        assertEquals("{\"return\": {}}\n", wire(runner).send("{\"execute\":\"guest-set-time\"}").orElseThrow());
        verify(posix, never()).setTimeOfDay(anyLong(), anyLong());
        assertEquals(List.of(List.of(hwclock(), "-s")), runner.runs());
    }

    @Test
    void aTimeOutsideQemuGasYearsIsRefusedBeforeTheClockIsTouched() throws Exception {
        RecordingRunner runner = RecordingRunner.succeeding();
        for (String t : List.of("4102444800000000000", "-1000000000000000000")) { // 2100, 1938
            assertEquals(Wire.error("Invalid time"), wire(runner).send(
                    "{\"execute\":\"guest-set-time\",\"arguments\":{\"time\":" + t + "}}").orElseThrow());
        }
        verify(posix, never()).setTimeOfDay(anyLong(), anyLong());
        assertEquals(List.of(), runner.runs());
    }

    @Test
    void aRefusedSettimeofdayStopsBeforeHwclock() throws Exception {
        doThrow(new PosixException("settimeofday", Errno.EPERM)).when(posix).setTimeOfDay(anyLong(), anyLong());
        RecordingRunner runner = RecordingRunner.succeeding();
        assertEquals(Wire.error("Failed to set time to guest: Operation not permitted"), wire(runner).send(
                "{\"execute\":\"guest-set-time\",\"arguments\":{\"time\":1717243200000000000}}").orElseThrow());
        assertEquals(List.of(), runner.runs());
    }

    @Test
    void aFailingHwclockIsReportedWithItsOutput() {
        RecordingRunner runner = new RecordingRunner(argv -> new ProgramOutcome.Exited(1,
                "hwclock: Cannot access the Hardware Clock via any known method.\n"));
        assertEquals(Wire.error("child process has failed to set hardware clock to system time: hwclock: Cannot"
                + " access the Hardware Clock via any known method.\\n"),
                wire(runner).send("{\"execute\":\"guest-set-time\"}").orElseThrow());
    }
}
