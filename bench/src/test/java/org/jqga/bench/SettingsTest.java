package org.jqga.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class SettingsTest {

    @Test
    void quickModeShrinksTheRunAndOptionsOverrideIt() {
        Settings full = Settings.parse(new String[0]);
        Settings quick = Settings.parse(new String[] {"--quick", "--reps", "4"});
        assertEquals(10, full.startReps());
        assertEquals(4, quick.startReps());
        assertTrue(quick.pingSamples() < full.pingSamples());
        assertEquals(Settings.ALL_ROWS.size(), full.rows().size());
    }

    @Test
    void customVariantsKeepTheirCommandWords() {
        Settings s = Settings.parse(new String[] {"--variant", "launcher=/opt/jqga/bin/jqga --extra",
            "--steady=launcher"});
        assertEquals(List.of("/opt/jqga/bin/jqga", "--extra"), s.customVariants().get("launcher"));
        assertEquals(List.of("launcher"), s.steady());
    }

    @Test
    void badInputIsRefusedWithTheOptionNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Settings.parse(new String[] {"--reps=0"}));
        assertEquals("--reps=0: expected a positive whole number", e.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Settings.parse(new String[] {"--rows=pong"}))
                .getMessage().startsWith("--rows: unknown row 'pong'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Settings.parse(new String[] {"--variant=x"}))
                .getMessage().contains("expected NAME=COMMAND"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Settings.parse(new String[] {"--nope=1"}))
                .getMessage().startsWith("unknown option --nope"));
    }

    @Test
    void procStatusFieldsAreReadInKiB() {
        String status = "Name:\tjava\nVmHWM:\t  123456 kB\nVmRSS:\t   81234 kB\nThreads:\t12\n";
        assertEquals(OptionalLong.of(81234), ProcStatus.parse(status, "VmRSS"));
        assertEquals(OptionalLong.of(123456), ProcStatus.parse(status, "VmHWM"));
        assertEquals(OptionalLong.empty(), ProcStatus.parse(status, "VmSwap"));
    }

    @Test
    void jdkFeatureReleaseFromItsVersionString() {
        assertEquals(25, Jdk.feature("25.0.3").getAsInt());
        assertEquals(17, Jdk.feature("17.0.15").getAsInt());
        assertEquals(8, Jdk.feature("1.8.0_402").getAsInt());
        assertTrue(Jdk.feature("unknown").isEmpty());
    }
}
