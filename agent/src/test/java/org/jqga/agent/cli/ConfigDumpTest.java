package org.jqga.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --dump-conf: qemu-ga's bytes for qemu-ga's keys, jqga's keys only when set, and a faithful round trip. */
class ConfigDumpTest {
    @TempDir
    Path dir;

    private AgentOptions resolve(String confBody, String... args) throws Exception {
        Path conf = dir.resolve("in.conf");
        if (confBody == null) {
            Files.deleteIfExists(conf);
        } else {
            Files.writeString(conf, confBody, StandardCharsets.UTF_8);
        }
        return Configuration.resolve(args, Map.of("QGA_CONF", conf.toString()), w -> { });
    }

    @Test
    void theDefaultsAreQemuGasDefaults() throws Exception {
        // What qemu-ga 7.2 prints for no file and no options, plus the allow-rpcs line qemu-ga 8.1+ adds.
        assertEquals("[general]\ndaemon=false\nmethod=virtio-serial\n"
                + "path=/dev/virtio-ports/org.qemu.guest_agent.0\npidfile=/var/run/qemu-ga.pid\nstatedir=/var/run\n"
                + "verbose=false\nretry-path=false\nblock-rpcs=\nallow-rpcs=\n",
                ConfigDump.render(resolve(null), Optional.empty()));
    }

    @Test
    void isaSerialGetsItsDefaultPathAndListeningMethodsNeedOne() throws Exception {
        assertEquals(true, ConfigDump.render(resolve(null, "-m", "isa-serial"), Optional.empty())
                .contains("\npath=/dev/ttyS0\n"));
        ConfigDump.MissingPathException e = assertThrows(ConfigDump.MissingPathException.class,
                () -> ConfigDump.render(resolve(null, "-m", "unix-listen"), Optional.empty()));
        assertEquals("must specify a path for this channel", e.getMessage());
    }

    @Test
    void socketActivationReplacesMethodAndDropsThePath() throws Exception {
        String dump = ConfigDump.render(resolve(null, "-m", "isa-serial", "-p", "/x"), Optional.of("unix-listen"));
        assertEquals(true, dump.contains("\nmethod=unix-listen\npidfile="), dump);
    }

    @Test
    void everythingSetIsPrintedInQemuGasOrderWithJqgaKeysAfter() throws Exception {
        AgentOptions o = resolve("[general]\nblock-rpcs=a,b\n", "-d", "-m", "unix-listen", "-p", " /sp ace",
                "-l", "/l", "-f", "/p", "-F", "-t", "/t", "-v", "-r", "-b", "c", "-a", "guest-ping",
                "--activation=manual", "--listen-name=n", "--idle-exit=9", "--allow-peer-uid=7,3",
                "--allow-peer-cid=2", "--socket-mode=640", "--ready-fd=4", "--serialize");
        assertEquals("[general]\ndaemon=true\nmethod=unix-listen\npath=\\s/sp ace\nlogfile=/l\npidfile=/p\n"
                + "fsfreeze-hook=/etc/qemu/fsfreeze-hook\nstatedir=/t\nverbose=true\nretry-path=true\n"
                + "block-rpcs=b,a,c\nallow-rpcs=guest-ping\nactivation=manual\nlisten-name=n\nidle-exit=9\n"
                + "allow-peer-uid=3,7\nallow-peer-cid=2\nsocket-mode=0640\nready-fd=4\nserialize=true\n",
                ConfigDump.render(o, Optional.empty()));
    }

    @Test
    void aDumpReadBackGivesTheSameConfiguration() throws Exception {
        List<String[]> commandLines = List.of(
                new String[0],
                new String[] {"-m", "unix-listen", "-p", "/run/qga.sock", "-b", "guest-exec,,guest-file-open"},
                new String[] {"-d", "-v", "-r", "-F/h", "-l", "\tlog\\file", "-f", "/pid", "-t", "/state",
                    "-a", "guest-ping,guest-info"},
                new String[] {"-m", "vsock-listen", "-p", "-1:4711", "--activation=systemd", "--listen-name=a",
                    "--listen-name=b", "--idle-exit=60", "--allow-peer-uid=0", "--allow-peer-cid=2,3",
                    "--socket-mode=0666", "--ready-fd=3", "--serialize"},
                new String[] {"--max-message-size=4M", "--max-nesting=32", "--max-file-handles=8",
                    "--max-sessions=4", "--max-exec-processes=2", "--max-exec-output=1M"});
        for (String[] args : commandLines) {
            AgentOptions first = resolve(null, args);
            String dump = ConfigDump.render(first, Optional.empty());
            AgentOptions second = resolve(dump);
            assertEquals(comparable(first), comparable(second), dump);
        }
    }

    /** The configuration as a value: lists whose order qemu-ga does not keep are compared as sets. */
    private static List<Object> comparable(AgentOptions o) {
        return List.of(o.daemonize(), o.effectiveMethod(), o.path().or(() -> AgentOptions.defaultPath(
                o.effectiveMethod())), o.logfile(), o.effectivePidfile(), o.fsfreezeHook(), o.statedir(),
                o.verbose(), o.retryPath(), new HashSet<>(o.blockRpcs()), new HashSet<>(o.allowRpcs()),
                o.activation(), o.listenNames(), o.idleExit(), o.allowPeerUids(), o.allowPeerCids(),
                o.socketMode(), o.readyFd(), o.serialize(), o.limits());
    }
}
