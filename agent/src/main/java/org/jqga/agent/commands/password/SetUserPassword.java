package org.jqga.agent.commands.password;

import com.google.inject.Inject;
import java.util.Arrays;
import org.jqga.agent.commands.Base64Data;
import org.jqga.agent.dispatch.Command;
import org.jqga.agent.dispatch.CommandException;
import org.jqga.agent.dispatch.CommandSpec;

/**
 * guest-set-user-password: {@code password} is the base64 of the raw or crypt()ed password. As in qemu-ga the
 * decoded password ends at its first NUL byte (it is a C string there) and may not contain a newline, and the user
 * name may contain neither a newline nor a colon: either would let a client smuggle a second line to chpasswd.
 */
final class SetUserPassword implements Command<SetUserPassword.Arguments> {
    static final CommandSpec<Arguments> SPEC = CommandSpec.of("guest-set-user-password", Arguments.class);

    record Arguments(String username, String password, boolean crypted) {
        @Override
        public String toString() {
            return "Arguments[username=" + username + ", password=(hidden), crypted=" + crypted + "]";
        }
    }

    private final PasswordChanger changer;

    @Inject
    SetUserPassword(PasswordChanger changer) {
        this.changer = changer;
    }

    @Override
    public CommandSpec<Arguments> spec() {
        return SPEC;
    }

    @Override
    public Object execute(Arguments a) throws CommandException {
        byte[] decoded = Base64Data.decode(a.password());
        int end = 0;
        while (end < decoded.length && decoded[end] != 0) {
            end++;
        }
        byte[] password = Arrays.copyOf(decoded, end);
        Arrays.fill(decoded, (byte) 0);
        try {
            for (byte b : password) {
                if (b == '\n') {
                    throw new CommandException("forbidden characters in raw password");
                }
            }
            if (a.username().indexOf('\n') >= 0 || a.username().indexOf(':') >= 0) {
                throw new CommandException("forbidden characters in username");
            }
            changer.change(a.username(), password, a.crypted());
            return null;
        } finally {
            Arrays.fill(password, (byte) 0);
        }
    }
}
