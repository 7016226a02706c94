package org.jqga.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The JVM's class-load log ({@code -Xlog:class+load=info:file=PATH}), counted. At info level the JVM writes one
 * line per class it loads, on JDK 17 and 25 alike:
 *
 * <pre>
 * [0.041s][info][class,load] java.lang.Object source: shared objects file
 * [0.063s][info][class,load] sun.nio.cs.UTF_8$Encoder source: jrt:/java.base
 * [0.090s][info][class,load] org.jqga.agent.Main source: file:/opt/jqga/lib/jqga-agent.jar
 * [0.105s][info][class,load] H$$Lambda$1/0x00007f18b0000a08 source: H
 * [0.071s][info][class,load] java.lang.invoke.LambdaForm$Holder source: shared objects file (top)
 * </pre>
 *
 * A class line is one with {@code " source: "} after the class name; it came from the CDS archive or AOT cache
 * when its source is {@code shared objects file} (JDK 17's dynamic archive adds {@code " (top)"} for its own layer;
 * JDK 25 reports classes of an AOT cache the same way). Unified logging writes each line before the load returns,
 * so the file read at some moment lists exactly the classes loaded until then.
 */
final class ClassLoadLog {
    static final String SOURCE = " source: ";
    static final String SHARED = "shared objects file";

    private ClassLoadLog() {
    }

    /** The JVM option that writes the log to {@code file}. No spaces: the launcher splits JQGA_JAVA_OPTS at them. */
    static String option(Path file) {
        String f = file.toString();
        if (f.contains(" ") || f.contains(",") || f.contains(":")) {
            throw new IllegalArgumentException("the class-load log path " + f
                    + " has a space, comma or colon, which -Xlog or JQGA_JAVA_OPTS would split at");
        }
        return "-Xlog:class+load=info:file=" + f;
    }

    /** Classes loaded, those of them from the CDS archive or AOT cache, and whether {@code mainClass} is among them. */
    record Counts(int loaded, int shared, boolean listsMain) {
    }

    static Counts count(String log, String mainClass) {
        int loaded = 0;
        int shared = 0;
        boolean main = false;
        for (String line : (Iterable<String>) log.lines()::iterator) {
            int source = line.indexOf(SOURCE);
            if (source < 0 || !line.contains("[class,load]")) {
                continue;
            }
            loaded++;
            if (line.startsWith(SHARED, source + SOURCE.length())) {
                shared++;
            }
            int name = line.lastIndexOf("] ", source) + 2;
            main |= line.substring(name, source).equals(mainClass);
        }
        return new Counts(loaded, shared, main);
    }

    /**
     * Reads and counts {@code file}, which must list {@code mainClass}: a log without the main class was not
     * written by that program's JVM, or not yet flushed, and its count would be wrong.
     */
    static Counts read(Path file, String mainClass) throws IOException {
        String log;
        try {
            log = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IOException("no class-load log was written: the command did not give the -Xlog option to a"
                    + " JVM (not a JVM, or a launcher that ignores JQGA_JAVA_OPTS)");
        }
        Counts c = count(log, mainClass);
        if (!c.listsMain()) {
            throw new IOException("the class-load log " + file + " (" + c.loaded() + " classes) does not list "
                    + mainClass + " at the first reply");
        }
        return c;
    }
}
