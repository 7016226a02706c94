package org.jqga.agent.commands.password;

import com.google.inject.Inject;
import java.util.Arrays;
import org.jqga.agent.commands.Base64Data;
import org.jqga.agent.dispatch.ArgumentBinder;
import org.jqga.agent.dispatch.Command;
import org.jqga.agent.dispatch.CommandException;
import org.jqga.agent.dispatch.CommandSpec;

/**
 * guest-set-user-password: {@code password} is the base64 of the raw or crypt()ed password. The decoded password
 * may contain neither a NUL byte (qemu-ga silently sets only what precedes it; we refuse) nor, as in qemu-ga, a
 * newline, and the user name may contain neither a newline nor a colon: either would let a client smuggle a second
 * line to chpasswd.
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
        byte[] password = Base64Data.decode(a.password());
        try {
            for (byte b : password) {
                // qemu-ga cuts the password at a NUL and sets what precedes it, a weaker password than was sent.
                if (b == 0) {
                    throw ArgumentBinder.nulCharacter("password");
                }
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
