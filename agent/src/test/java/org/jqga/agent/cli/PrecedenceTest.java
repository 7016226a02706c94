package org.jqga.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which source wins, as qemu-ga decides it: the file first, then the command line in order. */
class PrecedenceTest {
    @TempDir
    Path dir;

    private Path conf(String name, String body) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, body, StandardCharsets.UTF_8);
        return p;
    }

    private AgentOptions resolve(Path conf, String... args) throws Exception {
        return Configuration.resolve(args, Map.of("QGA_CONF", conf.toString()), w -> { });
    }

    @Test
    void commandLineScalarsReplaceTheFilesAndTheLastOccurrenceWins() throws Exception {
        Path c = conf("a.conf", "[general]\nmethod=isa-serial\npath=/dev/ttyS1\nlogfile=/f.log\npidfile=/f.pid\n"
                + "statedir=/f\nfsfreeze-hook=/f.hook\nactivation=systemd\nidle-exit=5\nsocket-mode=0640\n");
        AgentOptions o = resolve(c, "-m", "unix-listen", "-p", "/a", "--path=/b", "-l", "/c.log", "-f", "/c.pid",
                "-t", "/c", "-F", "--activation=manual", "--idle-exit=7", "--socket-mode=0600");
        assertEquals(Optional.of("unix-listen"), o.method());
        assertEquals(Optional.of("/b"), o.path());
        assertEquals(Optional.of("/c.log"), o.logfile());
        assertEquals(Optional.of("/c.pid"), o.pidfile());
        assertEquals("/c", o.statedir());
        assertEquals(Optional.of(AgentOptions.DEFAULT_FSFREEZE_HOOK), o.fsfreezeHook());
        assertEquals(Optional.of("manual"), o.activation());
        assertEquals(7, o.idleExit().orElseThrow().toSeconds());
        assertEquals(0600, o.socketMode());
    }

    @Test
    void theFilesValuesStandWhenTheCommandLineIsSilent() throws Exception {
        Path c = conf("a.conf", "[general]\nmethod=isa-serial\nstatedir=/f\n");
        AgentOptions o = resolve(c, "-v");
        assertEquals(Optional.of("isa-serial"), o.method());
        assertEquals("/f", o.statedir());
    }

    @Test
    void flagsOffInTheFileDoNotCancelTheCommandLineAndOnInTheFileStaysOn() throws Exception {
        Path off = conf("off.conf", "[general]\nverbose=false\ndaemon=false\nretry-path=false\nserialize=0\n");
        AgentOptions o = resolve(off, "-v", "-d", "-r", "--serialize");
        assertTrue(o.verbose() && o.daemonize() && o.retryPath() && o.serialize());
        Path on = conf("on.conf", "[general]\nverbose=true\ndaemon=true\nretry-path=true\nserialize=1\n");
        AgentOptions p = resolve(on);
        assertTrue(p.verbose() && p.daemonize() && p.retryPath() && p.serialize());
    }

    @Test
    void listsAccumulateFileFirstEachValueSplitOnCommasLikeQemuGa() throws Exception {
        Path c = conf("a.conf", "[general]\nblock-rpcs=f1,f2\nallow-rpcs=g1\nlisten-name=n1\nallow-peer-uid=1\n");
        AgentOptions o = resolve(c, "-b", "c1,c2", "--blacklist=c3", "-a", "h1", "--listen-name=n2",
                "--allow-peer-uid=2");
        assertEquals(List.of("f2", "f1", "c2", "c1", "c3"), o.blockRpcs());
        assertEquals(List.of("g1", "h1"), o.allowRpcs());
        assertEquals(List.of("n1", "n2"), o.listenNames());
        assertEquals(java.util.Set.of(1L, 2L), o.allowPeerUids());
    }

    @Test
    void semicolonsDoNotSeparateAndEmptyFieldsAreKept() throws Exception {
        Path c = conf("a.conf", "[general]\nblock-rpcs=guest-ping;guest-info\nallow-rpcs=,a,,b,\n");
        AgentOptions o = resolve(c);
        assertEquals(List.of("guest-ping;guest-info"), o.blockRpcs());
        assertEquals(List.of("", "b", "", "a", ""), o.allowRpcs());
    }

    @Test
    void minusCBeatsQgaConfAndMustExist() throws Exception {
        Path env = conf("env.conf", "[general]\nmethod=isa-serial\n");
        Path cli = conf("cli.conf", "[general]\nmethod=vsock-listen\n");
        AgentOptions o = Configuration.resolve(new String[] {"-c", cli.toString()},
                Map.of("QGA_CONF", env.toString()), w -> { });
        assertEquals(Optional.of("vsock-listen"), o.method());
        ConfigFileException missing = assertThrows(ConfigFileException.class, () -> Configuration.resolve(
                new String[] {"--config=" + dir.resolve("nope.conf")}, Map.of(), w -> { }));
        assertEquals("error loading configuration from path: " + dir.resolve("nope.conf")
                + ", No such file or directory", missing.getMessage());
    }

    @Test
    void theLastMinusCWins() throws Exception {
        Path a = conf("a.conf", "[general]\nmethod=isa-serial\n");
        Path b = conf("b.conf", "[general]\nmethod=vsock-listen\n");
        AgentOptions o = Configuration.resolve(new String[] {"-c", a.toString(), "-c", b.toString()}, Map.of(),
                w -> { });
        assertEquals(Optional.of("vsock-listen"), o.method());
    }

    @Test
    void aMissingQgaConfFileIsNoErrorButADirectoryIs() throws Exception {
        AgentOptions o = resolve(dir.resolve("absent.conf"));
        assertEquals(Optional.empty(), o.method());
        ConfigFileException e = assertThrows(ConfigFileException.class, () -> resolve(dir));
        assertEquals("error loading configuration from path: " + dir + ", Not a regular file", e.getMessage());
    }

    @Test
    void aBadFileIsReportedBeforeHelpOrABadOptionIsLookedAt() throws Exception {
        Path bad = conf("bad.conf", "[general]\nverbose=maybe\n");
        assertThrows(ConfigFileException.class, () -> resolve(bad, "--help"));
        assertThrows(ConfigFileException.class, () -> resolve(bad, "--bogus"));
    }

    @Test
    void optionsActInOrderHelpBeforeABadOptionWinsABadOptionBeforeHelpFails() throws Exception {
        Path none = dir.resolve("absent.conf");
        assertTrue(resolve(none, "-h", "--bogus").help());
        assertTrue(resolve(none, "-b", "?", "--bogus").listRpcs());
        UsageException e = assertThrows(UsageException.class, () -> resolve(none, "--bogus", "-h"));
        assertEquals("unrecognized option '--bogus'", e.getMessage());
        assertTrue(e.isGetoptError());
    }

    @Test
    void theBlacklistKeyWarnsAndAddsToBlockRpcs() throws Exception {
        Path c = conf("a.conf", "[general]\nblacklist=a\nblock-rpcs=b\n");
        List<String> warnings = new ArrayList<>();
        AgentOptions o = Configuration.resolve(new String[0], Map.of("QGA_CONF", c.toString()), warnings::add);
        assertEquals(List.of("a", "b"), o.blockRpcs());
        assertEquals(List.of("config using deprecated 'blacklist' key, should be replaced with the 'block-rpcs'"
                + " key."), warnings);
    }

    @Test
    void aBadJqgaValueInTheFileNamesTheKeyAndWhatWasExpected() throws Exception {
        Path c = conf("a.conf", "[general]\nidle-exit=soon\n");
        ConfigFileException e = assertThrows(ConfigFileException.class, () -> resolve(c));
        assertEquals("error loading configuration from path: " + c + ", Key file contains key \u201cidle-exit\u201d"
                + " with value \u201csoon\u201d which cannot be used: expected a positive whole number of seconds",
                e.getMessage());
    }

    @Test
    void aBadJqgaValueOnTheCommandLineIsNotAGetoptError() throws Exception {
        UsageException e = assertThrows(UsageException.class,
                () -> resolve(dir.resolve("absent.conf"), "--socket-mode=999"));
        assertFalse(e.isGetoptError());
        assertEquals("--socket-mode=999: expected octal permission bits such as 0600", e.getMessage());
    }

    @Test
    void theFirstBadKeyInQemuGasOrderIsReported() throws Exception {
        Path c = conf("a.conf", "[general]\nverbose=2\ndaemon=yes\n");
        ConfigFileException e = assertThrows(ConfigFileException.class, () -> resolve(c));
        assertTrue(e.getMessage().endsWith("Key file contains key \u201cdaemon\u201d which has a value that cannot be"
                + " interpreted."), e.getMessage());
    }
}
