package org.jqga.agent.log;

import java.time.LocalTime;
import java.time.format.DateTimeFormatter;

/**
 * Messages from before the log is set up (config-file errors and warnings), in the form GLib's default handler
 * gives qemu-ga's: {@code \n** (process:PID): CRITICAL **: HH:MM:SS.mmm: message\n} on stderr.
 */
public final class GLibMessages {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

    private GLibMessages() {
    }

    public static String critical(long pid, String message) {
        return format("CRITICAL", pid, message, LocalTime.now());
    }

    public static String warning(long pid, String message) {
        return format("WARNING", pid, message, LocalTime.now());
    }

    static String format(String level, long pid, String message, LocalTime time) {
        return "\n** (process:" + pid + "): " + level + " **: " + TIME.format(time) + ": " + message + "\n";
    }
}
