package org.jqga.bench;

import java.util.List;

/** What one agent scored on one row: samples, or the reason there are none. */
public sealed interface Outcome {

    record Measured(List<Double> samples, Summary summary) implements Outcome {
        public Measured {
            samples = List.copyOf(samples);
        }
    }

    /** The agent cannot run this row (command missing, activation unsupported, tool not installed, ...). */
    record NotAvailable(String reason) implements Outcome {
    }

    static Outcome of(List<Double> samples) {
        return new Measured(samples, Summary.of(samples));
    }

    static Outcome notAvailable(String reason) {
        return new NotAvailable(reason);
    }
}
