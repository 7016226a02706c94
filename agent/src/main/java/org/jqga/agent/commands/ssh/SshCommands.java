package org.jqga.agent.commands.ssh;

import com.google.inject.Inject;
import java.util.List;
import org.jqga.agent.dispatch.Command;
import org.jqga.agent.dispatch.CommandException;
import org.jqga.agent.dispatch.CommandSpec;
import org.jqga.agent.dispatch.OptionalArg;

/** guest-ssh-get-authorized-keys, guest-ssh-add-authorized-keys and guest-ssh-remove-authorized-keys. */
final class SshCommands {
    private SshCommands() {
    }

    record UserArguments(String username) {
    }

    record AddArguments(String username, List<String> keys, @OptionalArg Boolean reset) {
    }

    record RemoveArguments(String username, List<String> keys) {
    }

    /** {@code GuestAuthorizedKeys}. */
    record Keys(List<String> keys) {
    }

    static final class Get implements Command<UserArguments> {
        static final CommandSpec<UserArguments> SPEC =
                CommandSpec.of("guest-ssh-get-authorized-keys", UserArguments.class);
        private final AuthorizedKeys keys;

        @Inject
        Get(AuthorizedKeys keys) {
            this.keys = keys;
        }

        @Override
        public CommandSpec<UserArguments> spec() {
            return SPEC;
        }

        @Override
        public Object execute(UserArguments a) throws CommandException {
            return new Keys(keys.get(a.username()));
        }
    }

    static final class Add implements Command<AddArguments> {
        static final CommandSpec<AddArguments> SPEC =
                CommandSpec.of("guest-ssh-add-authorized-keys", AddArguments.class);
        private final AuthorizedKeys keys;

        @Inject
        Add(AuthorizedKeys keys) {
            this.keys = keys;
        }

        @Override
        public CommandSpec<AddArguments> spec() {
            return SPEC;
        }

        @Override
        public Object execute(AddArguments a) throws CommandException {
            keys.add(a.username(), a.keys(), Boolean.TRUE.equals(a.reset()));
            return null;
        }
    }

    static final class Remove implements Command<RemoveArguments> {
        static final CommandSpec<RemoveArguments> SPEC =
                CommandSpec.of("guest-ssh-remove-authorized-keys", RemoveArguments.class);
        private final AuthorizedKeys keys;

        @Inject
        Remove(AuthorizedKeys keys) {
            this.keys = keys;
        }

        @Override
        public CommandSpec<RemoveArguments> spec() {
            return SPEC;
        }

        @Override
        public Object execute(RemoveArguments a) throws CommandException {
            keys.remove(a.username(), a.keys());
            return null;
        }
    }
}
