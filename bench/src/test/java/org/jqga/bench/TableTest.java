package org.jqga.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TableTest {

    @Test
    void ratioIsJqgaMedianOverQemuGaMedianAndFloorRatioUsesTheFloor() {
        Row r = new Row("first reply", "tuned", Row.Unit.MILLISECONDS, Outcome.of(List.of(90.0, 100.0, 110.0)),
                Outcome.of(List.of(4.0, 5.0, 6.0)), Optional.of(Outcome.of(List.of(50.0))));
        assertEquals(20.0, r.ratio().getAsDouble(), 1e-9);
        assertEquals(2.0, r.vsFloor().getAsDouble(), 1e-9);
    }

    @Test
    void noRatioWhenASideIsNotAvailable() {
        Row r = new Row("exec", "", Row.Unit.MILLISECONDS, Outcome.notAvailable("CommandNotFound"),
                Outcome.of(List.of(1.0)));
        assertTrue(r.ratio().isEmpty());
        assertTrue(r.vsFloor().isEmpty());
    }

    @Test
    void printsOneAlignedLinePerRowWithNotAvailableReasons() {
        List<Row> rows = List.of(
                new Row("sequential guest-ping round trip", "default", Row.Unit.MICROSECONDS,
                        Outcome.of(List.of(30.0, 40.0, 50.0)), Outcome.of(List.of(20.0, 20.0, 20.0))),
                new Row("guest-exec /bin/true to exited status", "default", Row.Unit.MILLISECONDS,
                        Outcome.notAvailable("CommandNotFound: The command guest-exec has not been found"),
                        Outcome.of(List.of(1.5, 2.0, 2.5))));
        String[] lines = Table.format(rows).split("\n");
        assertEquals(4, lines.length, String.join("\n", lines));
        assertTrue(lines[0].startsWith("measure "));
        assertTrue(lines[2].matches("sequential guest-ping round trip \\[default\\] +\\| us +\\| lower .*"), lines[2]);
        assertTrue(lines[2].endsWith("2.00x"), "no empty trailing column: " + lines[2]);
        assertTrue(lines[2].contains("30.0 / 40.0 / 50.0 | "), lines[2]);
        assertTrue(lines[2].contains(" 2.00x"), lines[2]);
        assertTrue(lines[3].contains("n/a (CommandNotFound: The command guest-exec has not been found)"), lines[3]);
        assertTrue(lines[3].contains("1.50 / 2.00 / 2.50"), lines[3]);
        // Every line has its column separators in the same places.
        int bar = lines[0].indexOf(" | ");
        for (int i = 2; i < lines.length; i++) {
            assertEquals(bar, lines[i].indexOf(" | "), lines[i]);
        }
    }

    @Test
    void longReasonsAndRowNotesGoUnderTheTable() {
        String reason = "the agent exited before it was ready to reply (exit status 69; stderr: error: --method="
                + "virtio-serial is not supported by this build yet)";
        List<Row> rows = List.of(
                new Row("socket-activated first reply", "tuned", Row.Unit.MILLISECONDS, Outcome.notAvailable(reason),
                        Outcome.of(List.of(3.0))),
                new Row("peak RSS", "tuned", Row.Unit.MIB, Outcome.of(List.of(40.0)), Outcome.of(List.of(9.0)))
                        .withNote("not like for like: only one agent ran exec"));
        String table = Table.format(rows);
        assertTrue(table.contains("... [1])"), table);
        assertTrue(table.contains("\n[1] " + reason + "\n"), table);
        assertTrue(table.contains("peak RSS [tuned] [2]"), table);
        assertTrue(table.contains("\n[2] peak RSS [tuned]: not like for like: only one agent ran exec\n"), table);
    }

    @Test
    void numbersKeepAboutThreeSignificantDigits() {
        assertEquals("0.123", Table.number(0.12345));
        assertEquals("3.14", Table.number(3.14159));
        assertEquals("31.4", Table.number(31.4159));
        assertEquals("314", Table.number(314.159));
        assertEquals("31416", Table.number(31415.9));
    }

    @Test
    void classRowsCompareWithTheFloorAndAPartOfACountHasNoBetterDirection() {
        Outcome notJvm = Outcome.notAvailable("qemu-ga is not a JVM");
        List<Row> rows = List.of(
                new Row(Bench.CLASSES, "tuned", Row.Unit.CLASSES, Outcome.of(List.of(3262.0)), notJvm,
                        Optional.of(Outcome.of(List.of(864.0)))),
                new Row(Bench.CLASSES_SHARED, "tuned", Row.Unit.CLASSES_PART, Outcome.of(List.of(1032.0)), notJvm,
                        Optional.of(Outcome.of(List.of(757.0)))));
        String[] lines = Table.format(rows).split("\n");
        assertTrue(lines[2].matches(".* \\| classes \\| lower +\\| +3262 / 3262 / 3262 \\| "
                + "n/a \\(qemu-ga is not a JVM\\) \\| +- \\| +3\\.78x"), lines[2]);
        assertTrue(lines[3].matches(".* \\| classes \\| - +\\| .*1\\.36x"), lines[3]);
    }
}
