package org.jqga.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jqga.it.support.AgentProcess;
import org.jqga.it.support.Exec;
import org.jqga.it.support.Tools;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real qemu-ga (Debian qemu-guest-agent 7.2) and jqga get the same bad options, the same config files and the
 * same --dump-conf requests; their exit statuses must be equal and their messages the same once the program name
 * and GLib's "(process:PID) time" decoration are normalised. Where qemu-ga 7.2 and the qemu-ga jqga follows (9.1+)
 * differ, the 9.1+ behaviour is expected and the difference is named (the {@code allow-rpcs=} line of --dump-conf).
 */
class QemuGaCommandLineComparisonIT {
    private static final Duration LIMIT = Duration.ofSeconds(60);
    /** GLib's default handler: "\n** (process:123): CRITICAL **: 09:20:05.248: " */
    private static final Pattern GLIB_PREFIX = Pattern.compile("\\n?\\*\\* \\(process:\\d+\\): ([A-Z]+) \\*\\*: "
            + "\\d\\d:\\d\\d:\\d\\d\\.\\d\\d\\d: ");

    @TempDir
    Path dir;
    private Path qemuGa;

    @BeforeEach
    void requireQemuGa() {
        qemuGa = Tools.require("qemu-ga", "qemu-guest-agent");
    }

    private record Pair(Exec.Result qemu, Exec.Result jqga) {
    }

    private Pair both(Path conf, String... args) throws Exception {
        // A UTF-8 locale, so that jqga's output is decoded here as it was meant.
        Map<String, String> env = Map.of("QGA_CONF", conf.toString(), "LC_ALL", "C.UTF-8");
        List<String> q = new ArrayList<>(List.of(qemuGa.toString()));
        q.addAll(List.of(args));
        Exec.Result qemu = Exec.run(q, env, dir, LIMIT);
        Exec.Result jqga = Exec.run(AgentProcess.agentCommand(AgentProcess.classPath(), args), env, dir, LIMIT);
        return new Pair(qemu, jqga);
    }

    /**
     * Program name and GLib decoration out; every non-ASCII character becomes '?', because qemu-ga never calls
     * setlocale(), so GLib converts its messages (curly quotes, U+FFFD) to ASCII with '?' whatever LANG says,
     * while jqga writes them as they are.
     */
    private String normalise(String text, String program) {
        String plain = GLIB_PREFIX.matcher(text).replaceAll("$1: ").replace(program, "PROG");
        return plain.codePoints().map(c -> c < 0x80 ? c : '?')
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }

    private void assertSame(Pair p, String what) {
        String context = what + "\n=== qemu-ga: " + p.qemu() + "\n=== jqga: " + p.jqga();
        assertEquals(p.qemu().status(), p.jqga().status(), "exit status; " + context);
        assertEquals(normalise(p.qemu().stderr(), qemuGa.toString()), normalise(p.jqga().stderr(), "jqga"),
                "stderr; " + context);
        assertEquals(normalise(p.qemu().stdout(), qemuGa.toString()), normalise(p.jqga().stdout(), "jqga"),
                "stdout; " + context);
    }

    private static String criticalLine(String text) {
        return text.lines().filter(l -> l.startsWith("CRITICAL: ")).findFirst().orElse("(none in:\n" + text + ")");
    }

    private Path conf(String body) throws Exception {
        Path p = Files.createTempFile(dir, "qga-", ".conf");
        Files.write(p, body.getBytes(StandardCharsets.ISO_8859_1));
        return p;
    }

    private Path noConf() {
        return dir.resolve("absent.conf");
    }

    @Test
    void malformedOptionsGiveTheSameMessagesAndStatus() throws Exception {
        // -D first: should an option be accepted by mistake, both only dump instead of starting to serve.
        String[][] cases = {{"-D", "--bogus"}, {"-D", "--bogus=1"}, {"-D", "-x"}, {"-D", "-vz"}, {"-D", "-m"},
            {"-D", "--pidfile"}, {"-D", "-b"}, {"-D", "--help=3"}, {"-D", "--d"}, {"-D", "--d=x"}, {"-D", "--ver"},
            {"-D", "---D"}, {"-D", "--verbose=yes"}};
        for (String[] args : cases) {
            Pair p = both(noConf(), args);
            assertEquals(1, p.qemu().status(), String.join(" ", args));
            assertSame(p, String.join(" ", args));
        }
    }

    @Test
    void badConfigFilesGiveTheSameMessagesAndStatus() throws Exception {
        String[] bodies = {
            "[general]\nverbose = maybe\n", "[general]\ndaemon=yes\n", "[general]\nretry-path=2\n",
            "[general]\nverbose=TRUE\n", "garbage line\n", "verbose=true\n[general]\n", "[general\nverbose=1\n",
            "[general]\n=x\n", "[]\npath=x\n", "[a]b]\n", "[general]\npa]th=x\n", "[general]\npath=a\\x\n",
            "[general]\npath=a\\\n", "[general]\nmethod=\u00ff\u00fe\n", "[general]\nblock-rpcs=a\\,b\n",
        };
        for (String body : bodies) {
            Path c = conf(body);
            Pair p = both(c, "-D");
            assertEquals(1, p.qemu().status(), body);
            assertSame(p, body);
        }
        // Two bad keys: qemu-ga keeps the first error in its key order (daemon before verbose) and, on top, GLib
        // warns about qemu-ga overwriting a GError; that warning is qemu-ga's bug, the critical line must match.
        Pair two = both(conf("[general]\nverbose=2\ndaemon=yes\n"), "-D");
        assertEquals(two.qemu().status(), two.jqga().status());
        assertEquals(criticalLine(normalise(two.qemu().stderr(), qemuGa.toString())),
                criticalLine(normalise(two.jqga().stderr(), "jqga")));
        Pair dirAsConf = both(dir, "-D");
        assertSame(dirAsConf, "a directory as the config file");
    }

    @Test
    void aBadConfigFileIsReportedEvenWithHelpOrABadOption() throws Exception {
        Path c = conf("[general]\nverbose=maybe\n");
        assertSame(both(c, "--help"), "--help with a bad file");
        assertSame(both(c, "-V"), "-V with a bad file");
    }

    @Test
    void dumpConfIsTheSameForTheSameConfiguration() throws Exception {
        String full = "[general]\ndaemon=1\nmethod=isa-serial\npath=\\s/lead ing\nlogfile=/var/log/q.log\n"
                + "pidfile=/run/q.pid\nfsfreeze-hook=/etc/hook\nstatedir=/var/lib/q\nverbose=true\nretry-path=1\n"
                + "block-rpcs=,a,,b,\n";
        Object[][] cases = {
            {noConf(), new String[] {"-D"}},
            {conf(full), new String[] {"-D"}},
            {conf(full), new String[] {"-D", "-m", "unix-listen", "-p", "/s", "-l", "/l", "-f", "/p", "-t", "/t",
                "-F", "-b", "c,d", "--blacklist", "e", "-v", "-r", "-d"}},
            {conf("[general]\nverbose=false\ndaemon=false\n"), new String[] {"-D", "-v", "--daemon"}},
            {noConf(), new String[] {"-vDF/y"}},
            {noConf(), new String[] {"--fsfreeze-hook", "/ignored", "-D"}},
            {noConf(), new String[] {"-D", "--pidfile=", "-p", ""}},
            {noConf(), new String[] {"-D", "--b=x,y", "--st", "/s", "--re", "--meth=vsock-listen", "--pa=3:1"}},
            {noConf(), new String[] {"x", "-D", "y", "--", "-v"}},
            {conf("# comment\n\n[general]\r\npath=crlf  \r\n[other]\nmethod=no\n[general]\nstatedir=/s\n"
                + "path[fr]=no\nunknown=1\n  method = unix-listen\n"), new String[] {"-D"}},
            {conf("[general]\nblock-rpcs=guest-ping;guest-info\n"), new String[] {"-D", "-b", "guest-sync"}},
            {conf("[general]\nblacklist=guest-ping,guest-info\n"), new String[] {"-D"}},
        };
        for (Object[] c : cases) {
            String[] args = (String[]) c[1];
            Pair p = both((Path) c[0], args);
            String what = String.join(" ", args) + " with " + c[0];
            assertEquals(0, p.qemu().status(), what + "\n" + p.qemu());
            // qemu-ga 8.1+ added the allow-rpcs key, printed last; 7.2 has no such line.
            Pair adjusted = new Pair(p.qemu(), new Exec.Result(p.jqga().status(),
                    p.jqga().stdout().replace("allow-rpcs=\n", ""), p.jqga().stderr()));
            assertTrue(p.jqga().stdout().endsWith("\nallow-rpcs=\n"), what + "\n" + p.jqga());
            assertSame(adjusted, what);
        }
    }

    @Test
    void aListeningMethodWithoutAPathFailsTheSameWay() throws Exception {
        assertSame(both(noConf(), "-D", "-m", "unix-listen"), "-m unix-listen");
        assertSame(both(noConf(), "-D", "-m", "vsock-listen"), "-m vsock-listen");
        assertSame(both(noConf(), "-D", "-m", "bogus-method"), "-m bogus-method");
    }

    @Test
    void aFileDumpedByJqgaWithJqgaKeysIsAcceptedByQemuGa() throws Exception {
        Exec.Result dump = Exec.run(AgentProcess.agentCommand(AgentProcess.classPath(), "-D", "-m", "unix-listen",
                "-p", "/run/q.sock", "--listen-name=qga", "--idle-exit=30", "--socket-mode=0660", "--serialize"),
                Map.of("QGA_CONF", noConf().toString()), dir, LIMIT);
        assertEquals(0, dump.status(), dump.toString());
        assertTrue(dump.stdout().contains("\nidle-exit=30\n"), dump.stdout());
        Pair p = both(conf(dump.stdout()), "-D");
        assertEquals(0, p.qemu().status(), p.qemu().toString());
        // qemu-ga ignores jqga's keys; jqga reads them back.
        String qemuKeys = dump.stdout().substring(0, dump.stdout().indexOf("allow-rpcs=\n"));
        assertEquals(qemuKeys, p.qemu().stdout());
        assertEquals(dump.stdout(), p.jqga().stdout());
    }

    @Test
    void helpVersionAndTheRpcListingExitZeroLikeQemuGa() throws Exception {
        Pair help = both(noConf(), "--help");
        assertEquals(0, help.qemu().status());
        assertEquals(0, help.jqga().status(), help.jqga().toString());
        assertEquals(normalise(help.qemu().stdout().lines().findFirst().orElseThrow(), qemuGa.toString()),
                normalise(help.jqga().stdout().lines().findFirst().orElseThrow(), "jqga"));
        Pair version = both(noConf(), "-V");
        assertEquals(0, version.jqga().status());
        assertTrue(version.qemu().stdout().startsWith("QEMU Guest Agent "), version.qemu().toString());
        assertTrue(version.jqga().stdout().startsWith("QEMU Guest Agent "), version.jqga().toString());
        for (String[] args : new String[][] {{"--block-rpcs=?"}, {"-b", "help"}, {"--blacklist=?"}}) {
            Pair list = both(noConf(), args);
            assertEquals(0, list.qemu().status());
            assertEquals(0, list.jqga().status(), list.jqga().toString());
            for (String name : List.of("guest-sync-delimited", "guest-sync", "guest-ping", "guest-info")) {
                assertTrue(list.qemu().stdout().lines().anyMatch(name::equals), name);
                assertTrue(list.jqga().stdout().lines().anyMatch(name::equals), name + "\n" + list.jqga());
            }
        }
    }
}
