package org.jqga.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The snippets are lines of real -Xlog:class+load=info:file=... logs: class-load-jdk17.log from jqga's agent on
 * OpenJDK 17.0 (classes from the default CDS archive, the JDK's modules, the agent's jar, a dynamic proxy, a
 * LambdaForm and a lambda of Main) plus one line of a JDK 17 dynamic archive's own layer ("(top)");
 * class-load-jdk25-aot.log from a small program H on Temurin 25 with an AOT cache.
 */
class ClassLoadLogTest {

    private static String resource(String name) throws IOException {
        try (InputStream in = ClassLoadLogTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void jdk17CountsOneClassPerLineAndSharedOnesIncludingTheDynamicArchiveLayer() throws IOException {
        ClassLoadLog.Counts c = ClassLoadLog.count(resource("class-load-jdk17.log"), "org.jqga.agent.Main");
        assertEquals(13, c.loaded());
        // Object, Serializable, Comparable, UnresolvedPermission, SecureClassLoader$DebugHolder,
        // Class$ReflectionData, Class$Atomic from the default archive; UTF_8$Encoder from "(top)".
        assertEquals(8, c.shared());
        assertTrue(c.listsMain());
    }

    @Test
    void jdk25AotCacheClassesReadAsShared() throws IOException {
        ClassLoadLog.Counts c = ClassLoadLog.count(resource("class-load-jdk25-aot.log"), "H");
        assertEquals(5, c.loaded());
        assertEquals(3, c.shared());
        assertTrue(c.listsMain());
    }

    @Test
    void aLambdaOfMainOrAClassWhoseSourceIsMainIsNotMain() throws IOException {
        String withoutMain = resource("class-load-jdk17.log").lines()
                .filter(l -> !l.contains("] org.jqga.agent.Main source: ")).reduce("", (a, l) -> a + l + "\n");
        ClassLoadLog.Counts c = ClassLoadLog.count(withoutMain, "org.jqga.agent.Main");
        assertEquals(12, c.loaded());
        assertFalse(c.listsMain());
    }

    @Test
    void linesThatAreNotClassLoadsAndATruncatedLastLineAreNotCounted() {
        String log = """
                [0.027s][info][class,load] java.lang.Object source: shared objects file
                [0.030s][warning][cds] something else entirely
                [0.031s][info][class,load] java.lang.Str""";
        ClassLoadLog.Counts c = ClassLoadLog.count(log, "java.lang.Object");
        assertEquals(1, c.loaded());
        assertEquals(1, c.shared());
        assertTrue(c.listsMain());
    }

    @Test
    void readRefusesAMissingLogOrOneWithoutTheMainClass(@TempDir Path dir) throws IOException {
        Path log = dir.resolve("class-load.log");
        assertTrue(assertThrows(IOException.class, () -> ClassLoadLog.read(log, "H")).getMessage()
                .contains("no class-load log was written"));
        Files.writeString(log, resource("class-load-jdk25-aot.log"));
        assertEquals(5, ClassLoadLog.read(log, "H").loaded());
        assertTrue(assertThrows(IOException.class, () -> ClassLoadLog.read(log, "org.jqga.agent.Main")).getMessage()
                .contains("does not list org.jqga.agent.Main"));
    }

    @Test
    void theOptionGoesAfterTheJavaBinaryOrIntoJqgaJavaOptsForALauncher() {
        Path log = Path.of("/tmp/x/class-load.log");
        String opt = ClassLoadLog.option(log);
        assertEquals("-Xlog:class+load=info:file=/tmp/x/class-load.log", opt);
        Subject java = Subject.java("tuned", List.of("/jdk/bin/java", "-XX:+UseSerialGC", "-cp", "cp", "Main"));
        assertEquals(List.of("/jdk/bin/java", opt, "-XX:+UseSerialGC", "-cp", "cp", "Main"),
                java.withJvmOption(opt).command());
        Subject launcher = Subject.agent("l", List.of("env", "JQGA_JAVA=/jdk/bin/java", "/opt/jqga/bin/jqga"));
        List<String> activated = launcher.withJvmOption(opt).activated(Path.of("/usr/bin/systemd-socket-activate"),
                Path.of("/d"), Path.of("/d/qga.sock"));
        assertEquals(List.of("/usr/bin/systemd-socket-activate", "-l", "/d/qga.sock", "-E", "JQGA_JAVA_OPTS=" + opt,
                "env", "JQGA_JAVA=/jdk/bin/java", "/opt/jqga/bin/jqga", "--statedir=/d"), activated);
        assertEquals(Subject.JvmOptions.JAVA_COMMAND,
                Subject.agent("j", List.of("/usr/bin/java", "-cp", "x", "M")).jvmOptions());
        assertThrows(IllegalArgumentException.class, () -> ClassLoadLog.option(Path.of("/tmp/a b/log")));
    }
}
