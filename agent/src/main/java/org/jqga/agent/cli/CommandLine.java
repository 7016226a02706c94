package org.jqga.agent.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * qemu-ga's command line, scanned with glibc {@code getopt_long}'s rules and messages: short clusters
 * ({@code -vd}), attached or separate arguments ({@code -mX}, {@code -m X}), an optional argument only when
 * attached ({@code -F/x}, {@code --fsfreeze-hook=/x}), long options abbreviated to a unique prefix, operands
 * anywhere (ignored, as qemu-ga ignores them), {@code --} ending the options.
 *
 * <p>Abbreviations resolve against qemu-ga's own options first, exactly as getopt would in qemu-ga, so that every
 * abbreviation that works with qemu-ga ({@code --re}, {@code --s}, {@code --a}) means the same here; only a prefix
 * that matches no qemu-ga option is looked up among jqga's own options.
 */
public final class CommandLine {
    enum Arg { NONE, REQUIRED, OPTIONAL }

    /**
     * One option spelling. {@code target} is the option it means ({@code blacklist} means {@code block-rpcs});
     * {@code qemu} marks qemu-ga's options.
     */
    record Def(char shortName, String longName, String target, Arg arg, boolean qemu) {
        boolean sameAs(Def other) {
            return target.equals(other.target) && arg == other.arg;
        }
    }

    /** One option as given, with its argument (null when none). */
    record Occurrence(Def def, String value) {
        String name() {
            return def.target();
        }
    }

    /** The options up to the first error, and that error if there was one. */
    record Scan(List<Occurrence> occurrences, Optional<UsageException> error) {
    }

    private static final char NO_SHORT = 0;

    private static Def qemu(char s, String name, Arg arg) {
        return new Def(s, name, name, arg, true);
    }

    private static Def jqga(String name, Arg arg) {
        return new Def(NO_SHORT, name, name, arg, false);
    }

    /** In qemu-ga's table order (it decides the order of getopt's "possibilities"), then jqga's. */
    static final List<Def> DEFS = List.of(
            qemu('h', "help", Arg.NONE),
            qemu('V', "version", Arg.NONE),
            qemu('c', "config", Arg.REQUIRED),
            qemu('D', "dump-conf", Arg.NONE),
            qemu('l', "logfile", Arg.REQUIRED),
            qemu('f', "pidfile", Arg.REQUIRED),
            qemu('F', "fsfreeze-hook", Arg.OPTIONAL),
            qemu('v', "verbose", Arg.NONE),
            qemu('m', "method", Arg.REQUIRED),
            qemu('p', "path", Arg.REQUIRED),
            qemu('d', "daemonize", Arg.NONE),
            qemu('b', "block-rpcs", Arg.REQUIRED),
            new Def(NO_SHORT, "blacklist", "block-rpcs", Arg.REQUIRED, true), // qemu-ga <= 9.0
            qemu('a', "allow-rpcs", Arg.REQUIRED),
            qemu('t', "statedir", Arg.REQUIRED),
            qemu('r', "retry-path", Arg.NONE),
            jqga("activation", Arg.REQUIRED),
            jqga("explain-activation", Arg.NONE),
            jqga("listen-name", Arg.REQUIRED),
            jqga("idle-exit", Arg.REQUIRED),
            jqga("allow-peer-uid", Arg.REQUIRED),
            jqga("allow-peer-cid", Arg.REQUIRED),
            jqga("socket-mode", Arg.REQUIRED),
            jqga("ready-fd", Arg.REQUIRED),
            jqga("serialize", Arg.NONE),
            jqga("max-message-size", Arg.REQUIRED),
            jqga("max-nesting", Arg.REQUIRED),
            jqga("max-file-handles", Arg.REQUIRED),
            jqga("max-sessions", Arg.REQUIRED),
            jqga("max-exec-processes", Arg.REQUIRED),
            jqga("max-exec-output", Arg.REQUIRED));

    private CommandLine() {
    }

    /**
     * The command line alone (no config file), applied in order: a terminal option ({@code -h}, {@code -V},
     * {@code -b help}) stops at its position, as qemu-ga exits there; an error before it is thrown.
     */
    public static AgentOptions parse(String... args) throws UsageException {
        OptionsBuilder b = new OptionsBuilder();
        apply(scan(args), b);
        return b.build();
    }

    /** Applies the scanned options over what the config file set; throws the scan error if it is reached. */
    static void apply(Scan scan, OptionsBuilder b) throws UsageException {
        for (Occurrence o : scan.occurrences()) {
            apply(o, b);
            if (b.stopped()) {
                return;
            }
        }
        if (scan.error().isPresent()) {
            throw scan.error().get();
        }
    }

    /** getopt_long over {@code args}, stopping at the first error. */
    static Scan scan(String[] args) {
        List<Occurrence> found = new ArrayList<>();
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (a.equals("--")) {
                    break; // the rest are operands, which qemu-ga ignores
                }
                if (a.startsWith("--")) {
                    i = longOption(args, i, found);
                } else if (a.startsWith("-") && a.length() > 1) {
                    i = shortOptions(args, i, found);
                }
            }
        } catch (UsageException e) {
            return new Scan(found, Optional.of(e));
        }
        return new Scan(found, Optional.empty());
    }

    private static int longOption(String[] args, int i, List<Occurrence> found) throws UsageException {
        String body = args[i].substring(2);
        int eq = body.indexOf('=');
        String name = eq < 0 ? body : body.substring(0, eq);
        Def def = lookupLong(name, args[i]);
        String value = null;
        switch (def.arg()) {
            case NONE:
                if (eq >= 0) {
                    throw UsageException.getopt("option '--" + def.longName() + "' doesn't allow an argument");
                }
                break;
            case OPTIONAL:
                value = eq < 0 ? null : body.substring(eq + 1);
                break;
            case REQUIRED:
                if (eq >= 0) {
                    value = body.substring(eq + 1);
                } else if (i + 1 < args.length) {
                    value = args[++i];
                } else {
                    throw UsageException.getopt("option '--" + def.longName() + "' requires an argument");
                }
                break;
            default:
                throw new IllegalStateException(def.arg().name());
        }
        found.add(new Occurrence(def, value));
        return i;
    }

    private static Def lookupLong(String name, String original) throws UsageException {
        for (Def d : DEFS) {
            if (d.longName().equals(name)) {
                return d;
            }
        }
        Optional<Def> qemuMatch = prefixMatch(name, original, true);
        if (qemuMatch.isPresent()) {
            return qemuMatch.get();
        }
        return prefixMatch(name, original, false)
                .orElseThrow(() -> UsageException.getopt("unrecognized option '" + original + "'"));
    }

    /**
     * glibc's rule for a non-exact match: the first candidate wins unless a later one means something different;
     * the "possibilities" are the first candidate and every later one that differs from it, in table order.
     */
    private static Optional<Def> prefixMatch(String name, String original, boolean qemuOptions)
            throws UsageException {
        List<Def> candidates = DEFS.stream().filter(d -> d.qemu() == qemuOptions && d.longName().startsWith(name))
                .collect(Collectors.toList());
        if (candidates.isEmpty()) {
            return Optional.empty();
        }
        Def first = candidates.get(0);
        List<Def> differing = candidates.stream().filter(d -> d == first || !d.sameAs(first))
                .collect(Collectors.toList());
        if (differing.size() > 1) {
            throw UsageException.getopt("option '" + original + "' is ambiguous; possibilities:" + differing.stream()
                    .map(d -> " '--" + d.longName() + "'").collect(Collectors.joining()));
        }
        return Optional.of(first);
    }

    private static int shortOptions(String[] args, int i, List<Occurrence> found) throws UsageException {
        String cluster = args[i];
        for (int k = 1; k < cluster.length(); k++) {
            char c = cluster.charAt(k);
            Def def = DEFS.stream().filter(d -> d.shortName() == c && c != NO_SHORT).findFirst()
                    .orElseThrow(() -> UsageException.getopt("invalid option -- '" + c + "'"));
            String rest = cluster.substring(k + 1);
            switch (def.arg()) {
                case NONE:
                    found.add(new Occurrence(def, null));
                    continue;
                case OPTIONAL:
                    found.add(new Occurrence(def, rest.isEmpty() ? null : rest));
                    return i;
                case REQUIRED:
                    if (!rest.isEmpty()) {
                        found.add(new Occurrence(def, rest));
                        return i;
                    }
                    if (i + 1 >= args.length) {
                        throw UsageException.getopt("option requires an argument -- '" + c + "'");
                    }
                    found.add(new Occurrence(def, args[i + 1]));
                    return i + 1;
                default:
                    throw new IllegalStateException(def.arg().name());
            }
        }
        return i;
    }

    private static void apply(Occurrence o, OptionsBuilder b) throws UsageException {
        String value = o.value();
        try {
            switch (o.name()) {
                case "config": b.config = Optional.of(value); break;
                case "method": b.method = Optional.of(value); break;
                case "path": b.path = Optional.of(value); break;
                case "logfile": b.logfile = Optional.of(value); break;
                case "pidfile": b.pidfile = Optional.of(value); break;
                case "fsfreeze-hook":
                    b.fsfreezeHook = Optional.of(value == null ? AgentOptions.DEFAULT_FSFREEZE_HOOK : value);
                    break;
                case "statedir": b.statedir = Optional.of(value); break;
                case "verbose": b.verbose = true; break;
                case "version": b.version = true; break;
                case "daemonize": b.daemonize = true; break;
                case "block-rpcs":
                    if (OptionsBuilder.isHelpOption(value)) {
                        b.listRpcs = true;
                    } else {
                        OptionsBuilder.appendSplitList(value, b.blockRpcs);
                    }
                    break;
                case "allow-rpcs":
                    if (OptionsBuilder.isHelpOption(value)) {
                        b.listRpcs = true;
                    } else {
                        OptionsBuilder.appendSplitList(value, b.allowRpcs);
                    }
                    break;
                case "dump-conf": b.dumpConf = true; break;
                case "retry-path": b.retryPath = true; break;
                case "help": b.help = true; break;
                case "activation": b.activation = Optional.of(value); break;
                case "explain-activation": b.explainActivation = true; break;
                case "listen-name": b.listenNames.add(value); break;
                case "idle-exit": b.idleExit = Optional.of(OptionsBuilder.idleExit(value)); break;
                case "allow-peer-uid": OptionsBuilder.idList(value, b.allowPeerUids); break;
                case "allow-peer-cid": OptionsBuilder.idList(value, b.allowPeerCids); break;
                case "socket-mode": b.socketMode = OptionsBuilder.socketMode(value); break;
                case "ready-fd": b.readyFd = java.util.OptionalInt.of(OptionsBuilder.readyFd(value)); break;
                case "serialize": b.serialize = true; break;
                case "max-message-size":
                    b.limits = b.limits.withMaxMessageBytes(OptionsBuilder.byteSize(value, 2));
                    break;
                case "max-nesting": b.limits = b.limits.withMaxNesting(OptionsBuilder.count(value)); break;
                case "max-file-handles": b.limits = b.limits.withMaxFileHandles(OptionsBuilder.count(value)); break;
                case "max-sessions": b.limits = b.limits.withMaxSessions(OptionsBuilder.count(value)); break;
                case "max-exec-processes":
                    b.limits = b.limits.withMaxExecProcesses(OptionsBuilder.count(value));
                    break;
                case "max-exec-output": b.limits = b.limits.withMaxExecOutput(OptionsBuilder.byteSize(value, 0)); break;
                default: throw new IllegalStateException(o.name());
            }
        } catch (IllegalArgumentException e) {
            throw UsageException.badValue("--" + o.def().longName() + "=" + value + ": " + e.getMessage());
        }
    }
}
