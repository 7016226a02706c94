package org.jqga.agent.commands.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import org.jqga.agent.dispatch.CommandException;
import org.jqga.agent.linux.Libc;
import org.jqga.agent.linux.PasswdEntry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * qemu-ga's own unit-test vectors (commands-posix-ssh.c) against real files; only the passwd lookup is faked, to
 * point the test user's home at a temporary directory.
 */
class AuthorizedKeysTest {
    private static final String KEY1 = "algo key1 comments";
    private static final String KEY2 = "algo key2 comments";

    @TempDir
    Path home;

    private AuthorizedKeys keys;
    private Path file;

    @BeforeEach
    void setUp() throws Exception {
        Libc libc = mock(Libc.class);
        long uid = (Integer) Files.getAttribute(home, "unix:uid");
        long gid = (Integer) Files.getAttribute(home, "unix:gid");
        when(libc.getpwnam("tester")).thenReturn(Optional.of(new PasswdEntry("tester", uid, gid, home.toString())));
        when(libc.getpwnam("nobody-here")).thenReturn(Optional.empty());
        keys = new AuthorizedKeys(libc);
        file = home.resolve(".ssh/authorized_keys");
    }

    @Test
    void addCreatesTheDirectoryAndFileWithSshdsModesAndDoesNotDuplicate() throws Exception {
        keys.add("tester", List.of(KEY2), false);
        assertEquals(KEY2, Files.readString(file));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        keys.add("tester", List.of(KEY1, KEY2), false);
        assertEquals(KEY2 + "\n" + KEY1, Files.readString(file));
        try (var left = Files.list(file.getParent())) {
            assertEquals(List.of(file), left.toList(), "no temporary file is left behind");
        }
    }

    @Test
    void resetReplacesEverythingAndAnEmptyListEmptiesTheFile() throws Exception {
        keys.add("tester", List.of(KEY1, KEY2), false);
        keys.add("tester", List.of(KEY2), true);
        assertEquals(KEY2, Files.readString(file));
        keys.add("tester", List.of(), true);
        assertEquals("", Files.readString(file));
    }

    @Test
    void removeDropsEveryExactMatchAndKeepsTheRest() throws Exception {
        String content = KEY1 + "\n" + KEY1 + "\n# a commented line\nalgo some-key another\n";
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        keys.remove("tester", List.of(KEY2));
        assertEquals(content, Files.readString(file));
        keys.remove("tester", List.of(KEY1, KEY2));
        assertEquals("# a commented line\nalgo some-key another\n", Files.readString(file));
    }

    @Test
    void removeWithoutAFileSucceeds() throws Exception {
        keys.remove("tester", List.of(KEY1));
        assertFalse(Files.exists(file));
    }

    @Test
    void getSkipsCommentsAndBlanksAndListsTheNewestFirst() throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, KEY1 + "\n# a commented line\n\n  algo some-key another \t\n");
        assertEquals(List.of("algo some-key another", KEY1), keys.get("tester"));
    }

    @Test
    void errorsNameTheUserTheFileOrTheKey() throws Exception {
        assertEquals("failed to lookup user 'nobody-here': Success",
                assertThrows(CommandException.class, () -> keys.get("nobody-here")).getMessage());
        assertEquals("failed to read '" + file + "': Failed to open file \u201C" + file
                        + "\u201D: No such file or directory",
                assertThrows(CommandException.class, () -> keys.get("tester")).getMessage());
        for (String bad : new String[] {"# comment", "not a valid\nkey"}) {
            assertEquals("invalid OpenSSH public key: '" + bad + "'", assertThrows(CommandException.class,
                    () -> keys.add("tester", List.of(KEY1, bad), false)).getMessage());
            assertEquals("invalid OpenSSH public key: '" + bad + "'", assertThrows(CommandException.class,
                    () -> keys.remove("tester", List.of(bad))).getMessage());
        }
        assertFalse(Files.exists(file), "a rejected request writes nothing");
    }
}
