package org.jqga.agent.commands.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** qemu-ga's value processing and GLib's key-file acceptance. */
class OsReleaseTest {
    private static String special(String v) {
        return OsRelease.replaceSpecial(v.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void unquotedValuesAreCutAtTheFirstSpaceThenSemicolon() {
        assertEquals("Debian", special("Debian GNU/Linux"));
        assertEquals("a", special("a;b c"));
        assertEquals("'single", special("'single quoted'"), "single quotes are not special: qemu-ga's quirk");
    }

    @Test
    void doubleQuotedValuesLoseTheirQuotesAndOnlyTheFiveEscapes() {
        assertEquals("a \"b\" $ ` \\ \\n", special("\"a \\\"b\\\" \\$ \\` \\\\ \\n\""));
        assertEquals("ab", special("\"ab\" trailing"));
        // No closing quote: the in-place copy leaves the original's last byte behind, as in C.
        assertEquals("abcc", special("\"abc"));
    }

    @Test
    void keyFileRules() {
        assertTrue(OsRelease.parse("# c\n\n  ID = x \n[other]\nID=y\n".getBytes()).isPresent());
        assertEquals("x ", new String(OsRelease.parse("ID = x \n[other]\nID=y\n".getBytes()).get().get("ID")));
        assertTrue(OsRelease.parse("=x\n".getBytes()).isEmpty());
        assertTrue(OsRelease.parse("a]b=x\n".getBytes()).isEmpty());
        assertTrue(OsRelease.parse("NAME[de]=x\n".getBytes()).isPresent());
        assertTrue(OsRelease.parse("[bad\n".getBytes()).isEmpty());
    }
}
