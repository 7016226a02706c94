package org.jqga.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** getopt_long's behaviour and messages, as glibc prints them for qemu-ga 7.2 (observed). */
class CommandLineTest {
    private static String error(String... args) {
        return assertThrows(UsageException.class, () -> CommandLine.parse(args)).getMessage();
    }

    @Test
    void messagesAreGlibcs() {
        assertEquals("unrecognized option '--bogus'", error("--bogus"));
        assertEquals("unrecognized option '--bogus=1'", error("--bogus=1"));
        assertEquals("unrecognized option '---D'", error("---D"));
        assertEquals("invalid option -- 'x'", error("-x"));
        assertEquals("option requires an argument -- 'm'", error("-m"));
        assertEquals("option '--pidfile' requires an argument", error("--pidfile"));
        assertEquals("option '--pidfile' requires an argument", error("--pid"));
        assertEquals("option '--help' doesn't allow an argument", error("--help=3"));
        assertEquals("option '--d' is ambiguous; possibilities: '--dump-conf' '--daemonize'", error("--d"));
        assertEquals("option '--d=x' is ambiguous; possibilities: '--dump-conf' '--daemonize'", error("--d=x"));
        assertEquals("option '--ver' is ambiguous; possibilities: '--version' '--verbose'", error("--ver"));
    }

    @Test
    void anEmptyNameMatchesEveryQemuGaOptionButAliasesOfTheFirstAreNotListed() {
        assertEquals("option '--=x' is ambiguous; possibilities: '--help' '--version' '--config' '--dump-conf'"
                + " '--logfile' '--pidfile' '--fsfreeze-hook' '--verbose' '--method' '--path' '--daemonize'"
                + " '--block-rpcs' '--blacklist' '--allow-rpcs' '--statedir' '--retry-path'", error("--=x"));
    }

    @Test
    void qemuGasAbbreviationsMeanWhatTheyMeanInQemuGaEvenWhereJqgaOptionsShareThePrefix() throws Exception {
        assertTrue(CommandLine.parse("--re").retryPath()); // not --ready-fd
        assertEquals("/s", CommandLine.parse("--s", "/s").statedir()); // not --serialize, --socket-mode
        assertEquals(List.of("x"), CommandLine.parse("--a", "x").allowRpcs()); // not --activation
        assertEquals(List.of("x"), CommandLine.parse("--b=x").blockRpcs()); // --block-rpcs and --blacklist agree
        assertTrue(CommandLine.parse("--se").serialize()); // no qemu-ga option starts with "se"
    }

    @Test
    void shortClustersAttachedArgumentsAndOperands() throws Exception {
        AgentOptions o = CommandLine.parse("operand", "-vdmunix-listen", "-", "-p", "/s", "-F/h", "x");
        assertTrue(o.verbose() && o.daemonize());
        assertEquals(Optional.of("unix-listen"), o.method());
        assertEquals(Optional.of("/s"), o.path());
        assertEquals(Optional.of("/h"), o.fsfreezeHook());
    }

    @Test
    void anOptionalArgumentIsNeverTakenFromTheNextWord() throws Exception {
        AgentOptions o = CommandLine.parse("--fsfreeze-hook", "/x", "-D");
        assertEquals(Optional.of(AgentOptions.DEFAULT_FSFREEZE_HOOK), o.fsfreezeHook());
        assertTrue(o.dumpConf());
    }

    @Test
    void doubleDashEndsTheOptions() throws Exception {
        AgentOptions o = CommandLine.parse("-D", "--", "-v", "--bogus");
        assertTrue(o.dumpConf());
        assertEquals(false, o.verbose());
    }

    @Test
    void emptyArgumentsAreValues() throws Exception {
        assertEquals(Optional.of(""), CommandLine.parse("--pidfile=").pidfile());
        assertEquals(Optional.of(""), CommandLine.parse("-p", "").path());
    }
}
