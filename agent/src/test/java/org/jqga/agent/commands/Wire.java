package org.jqga.agent.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jqga.agent.dispatch.ArgumentBinder;
import org.jqga.agent.dispatch.Command;
import org.jqga.agent.dispatch.CommandPolicy;
import org.jqga.agent.dispatch.CommandRegistry;
import org.jqga.agent.dispatch.Dispatcher;
import org.jqga.agent.protocol.Frame;
import org.jqga.agent.protocol.Framer;
import org.jqga.agent.protocol.FramerLimits;

/** Requests through the real framer and dispatcher to a few commands, answers as the bytes the client gets. */
public final class Wire {
    private final Dispatcher dispatcher;

    public Wire(Command<?>... commands) {
        dispatcher = new Dispatcher(CommandRegistry.of(commands),
                new CommandPolicy(Set.of(), Set.of(), () -> false), new ArgumentBinder());
    }

    /** The response line, or empty when the command sends none. */
    public Optional<String> send(String request) {
        List<Frame> frames = new ArrayList<>();
        byte[] bytes = (request + " ").getBytes(StandardCharsets.UTF_8);
        new Framer(FramerLimits.QEMU).feed(bytes, 0, bytes.length, frames::add);
        assertEquals(1, frames.size(), frames::toString);
        return dispatcher.handle(frames.get(0)).map(b -> new String(b, StandardCharsets.ISO_8859_1));
    }

    /** An error response's line for {@code desc}, without id. */
    public static String error(String desc) {
        return "{\"error\": {\"class\": \"GenericError\", \"desc\": \"" + desc + "\"}}\n";
    }
}
