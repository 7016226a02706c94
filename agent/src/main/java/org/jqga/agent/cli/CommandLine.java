package org.jqga.agent.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;
import org.jqga.api.ActivationOptions;

/**
 * Parses qemu-ga's options with getopt_long's rules, plus jqga's own long options. Non-option arguments are
 * ignored, as qemu-ga ignores them.
 */
public final class CommandLine {
    private enum Arg { NONE, REQUIRED, OPTIONAL }

    private record Def(char shortName, String longName, Arg arg) {
    }

    private static final char NO_SHORT = 0;
    private static final List<Def> DEFS = List.of(
            new Def('c', "config", Arg.REQUIRED),
            new Def('m', "method", Arg.REQUIRED),
            new Def('p', "path", Arg.REQUIRED),
            new Def('l', "logfile", Arg.REQUIRED),
            new Def('f', "pidfile", Arg.REQUIRED),
            new Def('F', "fsfreeze-hook", Arg.OPTIONAL),
            new Def('t', "statedir", Arg.REQUIRED),
            new Def('v', "verbose", Arg.NONE),
            new Def('V', "version", Arg.NONE),
            new Def('d', "daemonize", Arg.NONE),
            new Def('b', "block-rpcs", Arg.REQUIRED),
            new Def(NO_SHORT, "blacklist", Arg.REQUIRED),
            new Def('a', "allow-rpcs", Arg.REQUIRED),
            new Def('D', "dump-conf", Arg.NONE),
            new Def('r', "retry-path", Arg.NONE),
            new Def('h', "help", Arg.NONE),
            new Def(NO_SHORT, "activation", Arg.REQUIRED),
            new Def(NO_SHORT, "explain-activation", Arg.NONE),
            new Def(NO_SHORT, "listen-name", Arg.REQUIRED),
            new Def(NO_SHORT, "idle-exit", Arg.REQUIRED),
            new Def(NO_SHORT, "allow-peer-uid", Arg.REQUIRED),
            new Def(NO_SHORT, "allow-peer-cid", Arg.REQUIRED),
            new Def(NO_SHORT, "socket-mode", Arg.REQUIRED),
            new Def(NO_SHORT, "ready-fd", Arg.REQUIRED),
            new Def(NO_SHORT, "serialize", Arg.NONE));

    private Optional<String> config = Optional.empty();
    private Optional<String> method = Optional.empty();
    private Optional<String> path = Optional.empty();
    private Optional<String> logfile = Optional.empty();
    private Optional<String> pidfile = Optional.empty();
    private Optional<String> fsfreezeHook = Optional.empty();
    private String statedir = AgentOptions.DEFAULT_STATEDIR;
    private boolean verbose;
    private boolean version;
    private boolean daemonize;
    private final List<String> blockRpcs = new ArrayList<>();
    private final List<String> allowRpcs = new ArrayList<>();
    private boolean dumpConf;
    private boolean retryPath;
    private boolean help;
    private boolean listRpcs;
    private Optional<String> activation = Optional.empty();
    private boolean explainActivation;
    private final List<String> listenNames = new ArrayList<>();
    private Optional<Duration> idleExit = Optional.empty();
    private final Set<Long> allowPeerUids = new LinkedHashSet<>();
    private final Set<Long> allowPeerCids = new LinkedHashSet<>();
    private int socketMode = ActivationOptions.DEFAULT_SOCKET_MODE;
    private OptionalInt readyFd = OptionalInt.empty();
    private boolean serialize;

    private CommandLine() {
    }

    public static AgentOptions parse(String... args) throws UsageException {
        CommandLine cl = new CommandLine();
        cl.run(args);
        return new AgentOptions(cl.config, cl.method, cl.path, cl.logfile, cl.pidfile, cl.fsfreezeHook, cl.statedir,
                cl.verbose, cl.version, cl.daemonize, cl.blockRpcs, cl.allowRpcs, cl.dumpConf, cl.retryPath, cl.help,
                cl.listRpcs, cl.activation, cl.explainActivation, cl.listenNames, cl.idleExit, cl.allowPeerUids,
                cl.allowPeerCids, cl.socketMode, cl.readyFd, cl.serialize);
    }

    private void run(String[] args) throws UsageException {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--")) {
                return; // the rest are operands, which qemu-ga ignores
            }
            if (a.startsWith("--")) {
                i = longOption(args, i);
            } else if (a.startsWith("-") && a.length() > 1) {
                i = shortOptions(args, i);
            }
        }
    }

    private int longOption(String[] args, int i) throws UsageException {
        String body = args[i].substring(2);
        int eq = body.indexOf('=');
        String name = eq < 0 ? body : body.substring(0, eq);
        Def def = lookupLong(name, args[i]);
        String value = null;
        switch (def.arg()) {
            case NONE:
                if (eq >= 0) {
                    throw new UsageException("option '--" + def.longName() + "' doesn't allow an argument");
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
                    throw new UsageException("option '--" + def.longName() + "' requires an argument");
                }
                break;
            default:
                throw new IllegalStateException();
        }
        apply(def, value);
        return i;
    }

    private static Def lookupLong(String name, String original) throws UsageException {
        for (Def d : DEFS) {
            if (d.longName().equals(name)) {
                return d;
            }
        }
        List<Def> candidates = DEFS.stream().filter(d -> d.longName().startsWith(name)).collect(Collectors.toList());
        if (candidates.size() == 1 && !name.isEmpty()) {
            return candidates.get(0);
        }
        if (candidates.size() > 1 && !name.isEmpty()) {
            throw new UsageException("option '" + original + "' is ambiguous; possibilities:" + candidates.stream()
                    .map(d -> " '--" + d.longName() + "'").collect(Collectors.joining()));
        }
        throw new UsageException("unrecognized option '" + original + "'");
    }

    private int shortOptions(String[] args, int i) throws UsageException {
        String cluster = args[i];
        for (int k = 1; k < cluster.length(); k++) {
            char c = cluster.charAt(k);
            Def def = DEFS.stream().filter(d -> d.shortName() == c && c != NO_SHORT).findFirst()
                    .orElseThrow(() -> new UsageException("invalid option -- '" + c + "'"));
            String rest = cluster.substring(k + 1);
            switch (def.arg()) {
                case NONE:
                    apply(def, null);
                    continue;
                case OPTIONAL:
                    apply(def, rest.isEmpty() ? null : rest);
                    return i;
                case REQUIRED:
                    if (!rest.isEmpty()) {
                        apply(def, rest);
                        return i;
                    }
                    if (i + 1 >= args.length) {
                        throw new UsageException("option requires an argument -- '" + c + "'");
                    }
                    apply(def, args[i + 1]);
                    return i + 1;
                default:
                    throw new IllegalStateException();
            }
        }
        return i;
    }

    private void apply(Def def, String value) throws UsageException {
        switch (def.longName()) {
            case "config": config = Optional.of(value); break;
            case "method": method = Optional.of(value); break;
            case "path": path = Optional.of(value); break;
            case "logfile": logfile = Optional.of(value); break;
            case "pidfile": pidfile = Optional.of(value); break;
            case "fsfreeze-hook": fsfreezeHook = Optional.of(value == null ? AgentOptions.DEFAULT_FSFREEZE_HOOK : value);
                break;
            case "statedir": statedir = value; break;
            case "verbose": verbose = true; break;
            case "version": version = true; break;
            case "daemonize": daemonize = true; break;
            case "blacklist":
            case "block-rpcs": rpcList(value, blockRpcs); break;
            case "allow-rpcs": rpcList(value, allowRpcs); break;
            case "dump-conf": dumpConf = true; break;
            case "retry-path": retryPath = true; break;
            case "help": help = true; break;
            case "activation": activation = Optional.of(value); break;
            case "explain-activation": explainActivation = true; break;
            case "listen-name": listenNames.add(value); break;
            case "idle-exit": idleExit = Optional.of(Duration.ofSeconds(positiveLong(def, value))); break;
            case "allow-peer-uid": numberList(def, value, allowPeerUids); break;
            case "allow-peer-cid": numberList(def, value, allowPeerCids); break;
            case "socket-mode": socketMode = socketMode(value); break;
            case "ready-fd": readyFd = OptionalInt.of((int) nonNegative(def, value)); break;
            case "serialize": serialize = true; break;
            default: throw new IllegalStateException(def.longName());
        }
    }

    private void rpcList(String value, List<String> into) {
        if (value.equals("?") || value.equals("help")) {
            listRpcs = true;
            return;
        }
        Arrays.stream(value.split(",")).filter(s -> !s.isEmpty()).forEach(into::add);
    }

    private static long positiveLong(Def def, String value) throws UsageException {
        long v = nonNegative(def, value);
        if (v == 0) {
            throw new UsageException("--" + def.longName() + "=" + value + ": expected a positive whole number");
        }
        return v;
    }

    private static long nonNegative(Def def, String value) throws UsageException {
        try {
            long v = Long.parseLong(value);
            if (v >= 0 && v <= Integer.MAX_VALUE) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException("--" + def.longName() + "=" + value + ": expected a whole number from 0 to "
                + Integer.MAX_VALUE);
    }

    private static void numberList(Def def, String value, Set<Long> into) throws UsageException {
        for (String part : value.split(",")) {
            try {
                long v = Long.parseLong(part.trim());
                if (v < 0 || v > 0xFFFFFFFFL) {
                    throw new NumberFormatException();
                }
                into.add(v);
            } catch (NumberFormatException e) {
                throw new UsageException("--" + def.longName() + "=" + value + ": '" + part
                        + "' is not a number from 0 to 4294967295");
            }
        }
    }

    private static int socketMode(String value) throws UsageException {
        try {
            int mode = Integer.parseInt(value, 8);
            if (mode >= 0 && mode <= 0777) {
                return mode;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException("--socket-mode=" + value + ": expected octal permission bits such as 0600");
    }
}
