package org.jqga.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One way of starting jqga (JVM, flags, class path, or a whole launcher command) and, for the built-in JVM
 * variants, the JVM floor started with the same JVM and flags. A variant whose preparation failed (an AOT training
 * run that wrote no cache) carries the reason, which its rows then show as n/a.
 */
record Variant(String name, String description, Subject jqga, Optional<Subject> floor,
        Optional<String> unavailable) {

    static final String AGENT_MAIN = "org.jqga.agent.Main";
    static final String FLOOR_MAIN = "org.jqga.bench.floor.ConstantReply";
    /** Flags for a small daemon that starts often: one GC thread, C1 only, small stacks, no perf-data file. */
    static final List<String> TUNED = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k",
            "-XX:-UsePerfData");

    static Variant jvm(String name, String description, Jdk jdk, List<String> flags, List<String> floorFlags,
            String classPath, String floorClassPath) {
        return new Variant(name, description,
                Subject.java(name, javaCommand(jdk, flags, classPath, AGENT_MAIN)),
                Optional.of(Subject.floor("floor-" + name, javaCommand(jdk, floorFlags, floorClassPath, FLOOR_MAIN))),
                Optional.empty());
    }

    static Variant custom(String name, List<String> command) {
        return new Variant(name, "custom command", Subject.agent(name, command), Optional.empty(), Optional.empty());
    }

    Variant unavailable(String reason) {
        return new Variant(name, description, jqga, floor, Optional.of(reason));
    }

    static List<String> javaCommand(Jdk jdk, List<String> flags, String classPath, String main) {
        List<String> c = new ArrayList<>();
        c.add(jdk.java().toString());
        c.addAll(flags);
        c.addAll(List.of("-cp", classPath, main));
        return c;
    }
}
