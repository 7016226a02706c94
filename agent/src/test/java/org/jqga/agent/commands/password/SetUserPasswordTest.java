package org.jqga.agent.commands.password;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicReference;
import org.jqga.agent.dispatch.CommandException;
import org.junit.jupiter.api.Test;

/** The command's validation, with the password changer mocked: no real account is touched here. */
class SetUserPasswordTest {
    private final PasswordChanger changer = mock(PasswordChanger.class);
    private final SetUserPassword command = new SetUserPassword(changer);

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void passesTheDecodedPasswordAndTheCryptedFlag() throws Exception {
        AtomicReference<byte[]> seen = new AtomicReference<>();
        doAnswer(inv -> {
            seen.set(((byte[]) inv.getArgument(1)).clone());
            return null;
        }).when(changer).change(eq("alice"), any(), eq(true));
        command.execute(new SetUserPassword.Arguments("alice", b64("$6$salt$hash"), true));
        assertArrayEquals("$6$salt$hash".getBytes(StandardCharsets.UTF_8), seen.get());
    }

    @Test
    void aNulInTheDecodedPasswordIsRefusedRatherThanCutThere() throws Exception {
        // qemu-ga would set "secret": a shorter password than the one the client sent.
        CommandException e = assertThrows(CommandException.class,
                () -> command.execute(new SetUserPassword.Arguments("bob", b64("secret\0ignored"), false)));
        assertEquals("Parameter 'password' must not contain U+0000 (NUL): the system would cut the value there",
                e.getMessage());
        verify(changer, never()).change(anyString(), any(), anyBoolean());
    }

    @Test
    void aNewlineInThePasswordIsRefusedBeforeAnythingRuns() throws Exception {
        CommandException e = assertThrows(CommandException.class,
                () -> command.execute(new SetUserPassword.Arguments("bob", b64("a\nroot:x"), false)));
        assertEquals("forbidden characters in raw password", e.getMessage());
        verify(changer, never()).change(anyString(), any(), anyBoolean());
    }

    @Test
    void aColonOrNewlineInTheUserNameIsRefused() throws Exception {
        for (String user : new String[] {"root:x", "bob\nroot"}) {
            CommandException e = assertThrows(CommandException.class,
                    () -> command.execute(new SetUserPassword.Arguments(user, b64("pw"), false)));
            assertEquals("forbidden characters in username", e.getMessage());
        }
        verify(changer, never()).change(anyString(), any(), anyBoolean());
    }

    @Test
    void invalidBase64IsRefused() throws Exception {
        CommandException e = assertThrows(CommandException.class,
                () -> command.execute(new SetUserPassword.Arguments("bob", "p@ss", false)));
        assertEquals("Base64 data contains invalid characters", e.getMessage());
    }

    @Test
    void theArgumentsNeverPrintThePassword() {
        String text = new SetUserPassword.Arguments("bob", b64("hunter2"), false).toString();
        assertEquals(-1, text.indexOf(b64("hunter2")), text);
    }
}
