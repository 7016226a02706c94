package org.jqga.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every option in every spelling (short, long with '=', long with a separate argument, a unique abbreviation,
 * and its config-file key) gives the same effective value.
 */
class OptionTableTest {
    /** Stands for an existing (empty) config file: -c requires the file to exist. */
    private static final String CONF = "@CONF@";

    @TempDir
    Path dir;

    /** One option: its spellings on the command line, its config-file line (null: no key), and what it sets. */
    record Row(String option, List<List<String>> commandLines, String configLine,
               Function<AgentOptions, Object> value, Object expected) {
        @Override
        public String toString() {
            return option;
        }
    }

    private static Row row(String option, String configLine, Function<AgentOptions, Object> value, Object expected,
                           String... spellings) {
        List<List<String>> cls = new ArrayList<>();
        for (String s : spellings) {
            cls.add(List.of(s.split(" ")));
        }
        return new Row(option, cls, configLine, value, expected);
    }

    static Stream<Row> rows() {
        return Stream.of(
                row("method", "method=unix-listen", AgentOptions::method, Optional.of("unix-listen"),
                        "-m unix-listen", "-munix-listen", "--method=unix-listen", "--method unix-listen",
                        "--meth=unix-listen"),
                row("path", "path=/run/q.sock", AgentOptions::path, Optional.of("/run/q.sock"),
                        "-p /run/q.sock", "--path=/run/q.sock", "--pa /run/q.sock"),
                row("logfile", "logfile=/var/log/q.log", AgentOptions::logfile, Optional.of("/var/log/q.log"),
                        "-l /var/log/q.log", "--logfile=/var/log/q.log", "--log /var/log/q.log"),
                row("pidfile", "pidfile=/run/q.pid", AgentOptions::pidfile, Optional.of("/run/q.pid"),
                        "-f /run/q.pid", "--pidfile=/run/q.pid", "--pid /run/q.pid"),
                row("fsfreeze-hook with a value", "fsfreeze-hook=/etc/hook", AgentOptions::fsfreezeHook,
                        Optional.of("/etc/hook"), "-F/etc/hook", "--fsfreeze-hook=/etc/hook", "--fs=/etc/hook"),
                row("fsfreeze-hook bare", "fsfreeze-hook=/etc/qemu/fsfreeze-hook", AgentOptions::fsfreezeHook,
                        Optional.of(AgentOptions.DEFAULT_FSFREEZE_HOOK), "-F", "--fsfreeze-hook", "-F /ignored"),
                row("statedir", "statedir=/var/lib/qga", AgentOptions::statedir, "/var/lib/qga",
                        "-t /var/lib/qga", "--statedir=/var/lib/qga", "--st /var/lib/qga"),
                row("verbose", "verbose=true", AgentOptions::verbose, true, "-v", "--verbose", "--verb"),
                row("daemonize", "daemon=1", AgentOptions::daemonize, true, "-d", "--daemonize", "--da"),
                row("block-rpcs", "block-rpcs=guest-ping,guest-info", AgentOptions::blockRpcs,
                        List.of("guest-info", "guest-ping"), "-b guest-ping,guest-info",
                        "--block-rpcs=guest-ping,guest-info", "--blacklist guest-ping,guest-info",
                        "--b=guest-ping,guest-info"),
                row("blacklist key", "blacklist=guest-ping,guest-info", AgentOptions::blockRpcs,
                        List.of("guest-info", "guest-ping"), "--blacklist=guest-ping,guest-info"),
                row("allow-rpcs", "allow-rpcs=guest-ping", AgentOptions::allowRpcs, List.of("guest-ping"),
                        "-a guest-ping", "--allow-rpcs=guest-ping", "--a guest-ping"),
                row("retry-path", "retry-path=true", AgentOptions::retryPath, true, "-r", "--retry-path", "--re"),
                row("dump-conf", null, AgentOptions::dumpConf, true, "-D", "--dump-conf", "--du"),
                row("help", null, AgentOptions::help, true, "-h", "--help", "--he"),
                row("version", null, AgentOptions::version, true, "-V", "--version", "--vers"),
                row("block-rpcs=help", null, AgentOptions::listRpcs, true, "-b ?", "--block-rpcs=help",
                        "-a help", "--allow-rpcs=?", "--blacklist=?"),
                row("config", null, AgentOptions::config, Optional.of(CONF), "-c " + CONF, "--config=" + CONF,
                        "--conf " + CONF),
                row("activation", "activation=manual", AgentOptions::activation, Optional.of("manual"),
                        "--activation=manual", "--activation manual", "--acti=manual"),
                row("explain-activation", null, AgentOptions::explainActivation, true, "--explain-activation",
                        "--ex"),
                row("listen-name", "listen-name=qga,qga2", AgentOptions::listenNames, List.of("qga", "qga2"),
                        "--listen-name=qga --listen-name=qga2", "--li qga --listen-name qga2"),
                row("idle-exit", "idle-exit=30", AgentOptions::idleExit, Optional.of(Duration.ofSeconds(30)),
                        "--idle-exit=30", "--id 30"),
                row("allow-peer-uid", "allow-peer-uid=0,107", AgentOptions::allowPeerUids, Set.of(0L, 107L),
                        "--allow-peer-uid=0,107", "--allow-peer-u 0 --allow-peer-uid=107"),
                row("allow-peer-cid", "allow-peer-cid=2", AgentOptions::allowPeerCids, Set.of(2L),
                        "--allow-peer-cid=2", "--allow-peer-c 2"),
                row("socket-mode", "socket-mode=0660", AgentOptions::socketMode, 0660, "--socket-mode=0660",
                        "--so 660"),
                row("ready-fd", "ready-fd=5", AgentOptions::readyFd, OptionalInt.of(5), "--ready-fd=5",
                        "--rea 5"),
                row("serialize", "serialize=true", AgentOptions::serialize, true, "--serialize", "--se"),
                row("max-message-size", "max-message-size=4M", o -> o.limits().maxMessageBytes(), 4L << 20,
                        "--max-message-size=4M", "--max-message-size 4194304"),
                row("max-nesting", "max-nesting=32", o -> o.limits().maxNesting(), 32, "--max-nesting=32",
                        "--max-n 32"),
                row("max-file-handles", "max-file-handles=8", o -> o.limits().maxFileHandles(), 8,
                        "--max-file-handles=8", "--max-f 8"),
                row("max-sessions", "max-sessions=4", o -> o.limits().maxSessions(), 4, "--max-sessions=4",
                        "--max-s 4"),
                row("max-exec-processes", "max-exec-processes=2", o -> o.limits().maxExecProcesses(), 2,
                        "--max-exec-processes=2", "--max-exec-p 2"),
                row("max-exec-output", "max-exec-output=1M", o -> o.limits().maxExecOutput(), 1L << 20,
                        "--max-exec-output=1M", "--max-exec-o 1048576"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void everySpellingSetsTheSameValue(Row row) throws Exception {
        Map<String, String> noFile = Map.of("QGA_CONF", dir.resolve("absent.conf").toString());
        Path emptyConf = Files.createFile(dir.resolve("empty.conf"));
        for (List<String> commandLine : row.commandLines()) {
            String[] args = commandLine.stream().map(a -> a.replace(CONF, emptyConf.toString())).toArray(String[]::new);
            AgentOptions o = Configuration.resolve(args, noFile, w -> { });
            Object expected = row.expected().equals(Optional.of(CONF)) ? Optional.of(emptyConf.toString())
                    : row.expected();
            assertEquals(expected, row.value().apply(o), "command line " + commandLine);
        }
        if (row.configLine() != null) {
            Path conf = dir.resolve("qemu-ga.conf");
            Files.writeString(conf, "[general]\n" + row.configLine() + "\n", StandardCharsets.UTF_8);
            AgentOptions o = Configuration.resolve(new String[0], Map.of("QGA_CONF", conf.toString()), w -> { });
            assertEquals(row.expected(), row.value().apply(o), "config file line " + row.configLine());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void nothingGivenMeansTheDefault(Row row) throws Exception {
        AgentOptions defaults = Configuration.resolve(new String[0],
                Map.of("QGA_CONF", dir.resolve("absent.conf").toString()), w -> { });
        Object value = row.value().apply(defaults);
        assertEquals(defaultOf(row.option()), value, row.option());
    }

    private static Object defaultOf(String option) {
        switch (option) {
            case "statedir": return "/var/run";
            case "socket-mode": return 0600;
            case "ready-fd": return OptionalInt.empty();
            case "max-message-size": return Limits.DEFAULTS.maxMessageBytes();
            case "max-nesting": return Limits.DEFAULTS.maxNesting();
            case "max-file-handles": return Limits.DEFAULTS.maxFileHandles();
            case "max-sessions": return Limits.DEFAULTS.maxSessions();
            case "max-exec-processes": return Limits.DEFAULTS.maxExecProcesses();
            case "max-exec-output": return Limits.DEFAULTS.maxExecOutput();
            case "block-rpcs": case "blacklist key": case "allow-rpcs": case "listen-name": return List.of();
            case "allow-peer-uid": case "allow-peer-cid": return Set.of();
            case "verbose": case "daemonize": case "retry-path": case "dump-conf": case "help": case "version":
            case "block-rpcs=help": case "explain-activation": case "serialize": return false;
            default: return Optional.empty();
        }
    }
}
