package org.jqga.bench;

import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One line of the table: one measure for one jqga variant beside qemu-ga's figure for the same measure. {@code floor}
 * is the JVM floor (a JDK-only program started the same way) for rows where jqga's figure should be read against it;
 * {@code note} is a caveat for reading the row.
 */
public record Row(String measure, String variant, Unit unit, Outcome jqga, Outcome qemuGa, Optional<Outcome> floor,
        Optional<String> note) {

    /** How a figure is expressed, and which direction is better. */
    public enum Unit {
        MILLISECONDS("ms", "lower"), MICROSECONDS("us", "lower"), PER_SECOND("ops/s", "higher"),
        MIB_PER_SECOND("MiB/s", "higher"), MIB("MiB", "lower"), CLASSES("classes", "lower"),
        /** A part of another row's count (classes from the CDS/AOT cache): read against that row, not by itself. */
        CLASSES_PART("classes", "-");

        public final String label;
        /** "lower", "higher", or "-" when neither is better. */
        public final String better;
        public final boolean higherIsBetter;

        Unit(String label, String better) {
            this.label = label;
            this.better = better;
            this.higherIsBetter = better.equals("higher");
        }
    }

    public Row(String measure, String variant, Unit unit, Outcome jqga, Outcome qemuGa) {
        this(measure, variant, unit, jqga, qemuGa, Optional.empty(), Optional.empty());
    }

    public Row(String measure, String variant, Unit unit, Outcome jqga, Outcome qemuGa, Optional<Outcome> floor) {
        this(measure, variant, unit, jqga, qemuGa, floor, Optional.empty());
    }

    /** This row with a caveat printed under the table (e.g. the two sides did not do the same work). */
    public Row withNote(String text) {
        return new Row(measure, variant, unit, jqga, qemuGa, floor, Optional.of(text));
    }

    /** jqga's median divided by qemu-ga's; empty when either side has no figure. */
    public OptionalDouble ratio() {
        return ratio(jqga, qemuGa);
    }

    /** jqga's median divided by the JVM floor's median; empty without a floor figure. */
    public OptionalDouble vsFloor() {
        return floor.map(f -> ratio(jqga, f)).orElse(OptionalDouble.empty());
    }

    private static OptionalDouble ratio(Outcome a, Outcome b) {
        if (a instanceof Outcome.Measured ma && b instanceof Outcome.Measured mb && mb.summary().median() != 0) {
            return OptionalDouble.of(ma.summary().median() / mb.summary().median());
        }
        return OptionalDouble.empty();
    }
}
