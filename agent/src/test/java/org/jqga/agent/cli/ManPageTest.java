package org.jqga.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** jqga(8) is made from --help: every option of the help text is an entry of the man page, with its description. */
class ManPageTest {
    private final String roff = ManPage.roff("1.2.3");

    @Test
    void everyHelpOptionIsAnEntryWithItsDescription() {
        List<ManPage.Option> options = ManPage.options();
        // qemu-ga's 15 options (-c to -h) and jqga's own: the parser found them all, not a handful.
        assertTrue(options.size() >= 15 + 15, options.toString());
        for (ManPage.Option o : options) {
            assertTrue(roff.contains(".TP\n.B " + ManPage.escape(o.spec()) + "\n" + ManPage.escape(o.description())),
                    "no man page entry for " + o.spec());
            assertFalse(o.description().isEmpty(), o.spec() + " has no description");
        }
        assertEquals("-c, --config=PATH", options.get(0).spec());
        assertTrue(options.get(0).description().contains(ConfigFile.DEFAULT_PATH), options.get(0).description());
        assertTrue(options.stream().anyMatch(o -> o.spec().equals("-F, --fsfreeze-hook")
                && o.description().contains(AgentOptions.DEFAULT_FSFREEZE_HOOK)));
    }

    @Test
    void theHelpTextsProseBecomesSections() {
        assertTrue(roff.contains("\n.SH OPTIONS\n"));
        assertTrue(roff.contains("\n.SS \"jqga options\"\n"));
        assertTrue(roff.contains("\n.SH CONFIGURATION FILE\n"));
        assertTrue(roff.contains("\n.SH SIGNALS\n"));
        assertTrue(roff.contains("\n.SH EXIT STATUS\n"));
        assertTrue(roff.startsWith(".\\\" Generated"));
        assertTrue(roff.contains(".TH JQGA 8 \"\" \"jqga 1.2.3\""));
    }

    @Test
    void noTextLineIsReadAsARoffRequestAndNoBackslashIsLeftUnescaped() {
        for (String line : roff.split("\n")) {
            if (line.startsWith(".") || line.startsWith("'")) {
                assertTrue(line.matches("\\.(\\\\\"|TH|SH|SS|TP|PP|B|I|BR|br|nh|ad)( .*)?"), "stray request: " + line);
            }
        }
    }
}
