package org.jqga.agent.linux;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** A {@link ProgramRunner} seam: records every argv it is asked to run and answers from a script. */
public final class RecordingRunner implements ProgramRunner {
    private final List<List<String>> runs = new ArrayList<>();
    private final Function<List<String>, ProgramOutcome> script;

    public RecordingRunner(Function<List<String>, ProgramOutcome> script) {
        this.script = script;
    }

    /** Every program exits 0 silently. */
    public static RecordingRunner succeeding() {
        return new RecordingRunner(argv -> new ProgramOutcome.Exited(0, ""));
    }

    @Override
    public synchronized ProgramOutcome run(List<String> argv) {
        runs.add(List.copyOf(argv));
        return script.apply(argv);
    }

    public synchronized List<List<String>> runs() {
        return List.copyOf(runs);
    }
}
