package org.jqga.agent.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.jqga.api.ActivationOptions;

/**
 * The configuration being assembled: first from the config file, then from the command line, in qemu-ga's order.
 * Scalars are overwritten by later sources; the flags qemu-ga keeps as "on once set" (daemon, verbose, retry-path)
 * can only be switched on; lists accumulate.
 */
final class OptionsBuilder {
    Optional<String> config = Optional.empty();
    Optional<String> method = Optional.empty();
    Optional<String> path = Optional.empty();
    Optional<String> logfile = Optional.empty();
    Optional<String> pidfile = Optional.empty();
    Optional<String> fsfreezeHook = Optional.empty();
    Optional<String> statedir = Optional.empty();
    boolean verbose;
    boolean version;
    boolean daemonize;
    final List<String> blockRpcs = new ArrayList<>();
    final List<String> allowRpcs = new ArrayList<>();
    boolean dumpConf;
    boolean retryPath;
    boolean help;
    boolean listRpcs;
    Optional<String> activation = Optional.empty();
    boolean explainActivation;
    final List<String> listenNames = new ArrayList<>();
    Optional<Duration> idleExit = Optional.empty();
    final Set<Long> allowPeerUids = new LinkedHashSet<>();
    final Set<Long> allowPeerCids = new LinkedHashSet<>();
    int socketMode = ActivationOptions.DEFAULT_SOCKET_MODE;
    OptionalInt readyFd = OptionalInt.empty();
    boolean serialize;
    Limits limits = Limits.DEFAULTS;

    /** Whether a terminal action (--help, --version, --block-rpcs=help) has been reached: stop applying. */
    boolean stopped() {
        return help || version || listRpcs;
    }

    AgentOptions build() {
        return new AgentOptions(config, method, path, logfile, pidfile, fsfreezeHook,
                statedir.orElse(AgentOptions.DEFAULT_STATEDIR), verbose, version, daemonize, blockRpcs, allowRpcs,
                dumpConf, retryPath, help, listRpcs, activation, explainActivation, listenNames, idleExit,
                allowPeerUids, allowPeerCids, socketMode, readyFd, serialize, limits);
    }

    /**
     * qemu-ga's {@code split_list(str, ",")} appended to {@code into}: {@code g_strsplit} keeps empty fields, and
     * each piece is prepended, so the pieces of one value land in reverse order (qemu-ga's --dump-conf shows
     * {@code -b a,b} as {@code b,a}). An empty value adds nothing.
     */
    static void appendSplitList(String value, List<String> into) {
        if (value.isEmpty()) {
            return;
        }
        String[] pieces = value.split(",", -1);
        for (int i = pieces.length - 1; i >= 0; i--) {
            into.add(pieces[i]);
        }
    }

    /** {@code help} or {@code ?}: QEMU's is_help_option. */
    static boolean isHelpOption(String value) {
        return value.equals("?") || value.equals("help");
    }

    // Values of jqga's own options, shared by the command line and the config file. Each returns the parsed value
    // or throws IllegalArgumentException with what was expected; the caller adds where the value came from.

    static Duration idleExit(String value) {
        long seconds = wholeNumber(value, 1, Integer.MAX_VALUE, "a positive whole number of seconds");
        return Duration.ofSeconds(seconds);
    }

    static int readyFd(String value) {
        return (int) wholeNumber(value, 0, Integer.MAX_VALUE, "a file descriptor number from 0 to "
                + Integer.MAX_VALUE);
    }

    static int socketMode(String value) {
        try {
            if (!value.isEmpty() && value.chars().allMatch(c -> c >= '0' && c <= '7')) {
                int mode = Integer.parseInt(value, 8);
                if (mode <= 0777) {
                    return mode;
                }
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("expected octal permission bits such as 0600");
    }

    static void idList(String value, Set<Long> into) {
        for (String part : value.split(",", -1)) {
            String p = part.trim();
            long v;
            try {
                v = p.isEmpty() || !p.chars().allMatch(Character::isDigit) ? -1 : Long.parseLong(p);
            } catch (NumberFormatException e) {
                v = -1;
            }
            if (v < 0 || v > 0xFFFFFFFFL) {
                throw new IllegalArgumentException("'" + part + "' is not a number from 0 to 4294967295");
            }
            into.add(v);
        }
    }

    static void nameList(String value, List<String> into) {
        for (String name : value.split(",", -1)) {
            if (name.isEmpty()) {
                throw new IllegalArgumentException("empty name in the list");
            }
            into.add(name);
        }
    }

    /** A positive count, such as a number of sessions. */
    static int count(String value) {
        return (int) wholeNumber(value, 1, Integer.MAX_VALUE, "a whole number from 1 to " + Integer.MAX_VALUE);
    }

    /** A size in bytes: a whole number, optionally followed by K, M or G (powers of 1024). */
    static long byteSize(String value, long min) {
        long unit = 1;
        String digits = value;
        if (!value.isEmpty()) {
            switch (Character.toUpperCase(value.charAt(value.length() - 1))) {
                case 'K': unit = 1L << 10; break;
                case 'M': unit = 1L << 20; break;
                case 'G': unit = 1L << 30; break;
                default: break;
            }
            if (unit != 1) {
                digits = value.substring(0, value.length() - 1);
            }
        }
        long max = (1L << 40) / unit;
        String expected = "a size in bytes from " + min + " to 1T, optionally with a K, M or G suffix";
        long n = wholeNumber(digits, 0, max, expected);
        if (n * unit < min) {
            throw new IllegalArgumentException("expected " + expected);
        }
        return n * unit;
    }

    private static long wholeNumber(String value, long min, long max, String expected) {
        try {
            if (!value.isEmpty() && value.chars().allMatch(Character::isDigit)) {
                long v = Long.parseLong(value);
                if (v >= min && v <= max) {
                    return v;
                }
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("expected " + expected);
    }
}
