package org.jqga.agent.linux;

import java.util.List;

/** Runs a program to completion: stdin from {@code /dev/null}, stdout and stderr captured together. */
public interface ProgramRunner {
    /**
     * @param argv the program (an absolute path, or a name looked up on {@code PATH}) and its arguments
     */
    ProgramOutcome run(List<String> argv) throws InterruptedException;
}
