package org.jqga.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.jqga.agent.cli.KeyFile.KeyFileException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** GLib key-file rules; each case was checked against qemu-ga 7.2 (GLib 2.74) reading the same bytes. */
class KeyFileTest {
    private static KeyFile parse(String text) throws KeyFileException {
        return KeyFile.parse(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static Optional<String> path(String text) throws KeyFileException {
        return parse(text).getString("general", "path");
    }

    @Test
    void whitespaceAroundKeysAndLeadingValueBlanksGoTrailingValueBlanksStay() throws Exception {
        assertEquals(Optional.of("/x/y  "), path("[general]  \n   path =  /x/y  \n"));
        assertEquals(Optional.of(true), parse("[general]\n  verbose = true  \n").getBoolean("general", "verbose"));
    }

    @Test
    void laterValuesReplaceEarlierOnesAndRepeatedGroupsMerge() throws Exception {
        assertEquals(Optional.of("b"), path("[general]\npath=a\npath=b\n"));
        KeyFile kf = parse("[general]\npath=a\n[other]\nx=1\n[general]\nstatedir=/s\n");
        assertEquals(Optional.of("a"), kf.getString("general", "path"));
        assertEquals(Optional.of("/s"), kf.getString("general", "statedir"));
    }

    @Test
    void localisedKeysCommentsBlankLinesAndCrlfAreHandled() throws Exception {
        assertEquals(Optional.empty(), path("[general]\npath[fr]=a\n"));
        assertEquals(Optional.of("crlf"), path("# c\n\n[general]\r\n# path=no\r\npath=crlf\r\n"));
        assertEquals(Optional.empty(), path(""));
        assertEquals(Optional.empty(), path("[gen eral]\npath=x\n"));
    }

    @Test
    void escapesAreDecoded() throws Exception {
        assertEquals(Optional.of(" a b\\c\n\t\r"), path("[general]\npath=\\sa b\\\\c\\n\\t\\r\n"));
    }

    @Test
    void syntaxErrorsGiveGlibsMessage() {
        String[][] cases = {
            {"verbose=true\n[general]\n", "Key file does not start with a group"},
            {"[general\nverbose=1\n",
                "Key file contains line \u201c[general\u201d which is not a key-value pair, group, or comment"},
            {"[general]\n=x\n", "Key file contains line \u201c=x\u201d which is not a key-value pair, group, or comment"},
            {"[a]b]\npath=x\n",
                "Key file contains line \u201c[a]b]\u201d which is not a key-value pair, group, or comment"},
            {"[]\npath=x\n", "Invalid group name: "},
            {"[general]\npa]th=x\n", "Invalid key name: pa]th"},
            {"[general]\ngarbage line\n",
                "Key file contains line \u201cgarbage line\u201d which is not a key-value pair, group, or comment"},
        };
        for (String[] c : cases) {
            KeyFileException e = assertThrows(KeyFileException.class, () -> parse(c[0]), c[0]);
            assertEquals(c[1], e.getMessage(), c[0]);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"path=a\\sb\\x", "path=a\\", "path=a\\,b"})
    void badEscapesCannotBeInterpreted(String line) throws Exception {
        KeyFile kf = parse("[general]\n" + line + "\n");
        KeyFileException e = assertThrows(KeyFileException.class, () -> kf.getString("general", "path"));
        assertEquals("Key file contains key \u201cpath\u201d which has a value that cannot be interpreted.",
                e.getMessage());
    }

    @Test
    void nonUtf8ValuesAreRejected() throws Exception {
        KeyFile kf = parse("[general]\npath=\u00ff\u00fe\n");
        KeyFileException e = assertThrows(KeyFileException.class, () -> kf.getString("general", "path"));
        assertEquals("Key file contains key \u201cpath\u201d with value \u201c\ufffd\ufffd\u201d which is not UTF-8",
                e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"true,true", "1,true", "false,false", "0,false"})
    void booleansAreExactlyTrueFalseOneZero(String value, boolean expected) throws Exception {
        assertEquals(Optional.of(expected), parse("[general]\nv=" + value + "\n").getBoolean("general", "v"));
    }

    @ParameterizedTest
    @CsvSource({"TRUE", "yes", "2", "on", "''"})
    void otherBooleansCannotBeInterpreted(String value) throws Exception {
        KeyFile kf = parse("[general]\nv=" + value + "\n");
        assertThrows(KeyFileException.class, () -> kf.getBoolean("general", "v"));
        assertFalse(kf.hasKey("general", "w"));
    }

    @Test
    void escapingForWritingReadsBackTheSameString() throws Exception {
        for (String s : new String[] {" lead", "\ttab", "a b", "back\\slash", "new\nline", "cr\r", "", "  "}) {
            String written = "[general]\npath=" + KeyFile.escape(s) + "\n";
            assertEquals(Optional.of(s), KeyFile.parse(written.getBytes(StandardCharsets.UTF_8))
                    .getString("general", "path"), written);
        }
        assertEquals("\\s\\sa b", KeyFile.escape("  a b"));
    }
}
