package org.jqga.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.OptionalLong;

/** Fields of /proc/PID/status, the kernel's own account of a process's memory. */
final class ProcStatus {
    private ProcStatus() {
    }

    /** The value of a {@code "Field:   1234 kB"} line in KiB; empty when the process is gone or has no such line. */
    static OptionalLong kib(long pid, String field) throws IOException {
        String text;
        try {
            text = Files.readString(Path.of("/proc", Long.toString(pid), "status"));
        } catch (NoSuchFileException e) {
            return OptionalLong.empty();
        }
        return parse(text, field);
    }

    /**
     * Resets the process's peak resident set size (VmHWM) to its current RSS ({@code 5 > /proc/PID/clear_refs},
     * Linux 4.0+), so that the next VmHWM is the peak of what follows.
     */
    static void resetPeak(long pid) throws IOException {
        Files.writeString(Path.of("/proc", Long.toString(pid), "clear_refs"), "5");
    }

    static OptionalLong parse(String status, String field) {
        for (String line : status.split("\n")) {
            if (line.startsWith(field + ":")) {
                String v = line.substring(field.length() + 1).strip();
                if (!v.endsWith(" kB")) {
                    throw new IllegalArgumentException("unexpected " + field + " line: " + line);
                }
                return OptionalLong.of(Long.parseLong(v.substring(0, v.length() - 3).strip()));
            }
        }
        return OptionalLong.empty();
    }
}
