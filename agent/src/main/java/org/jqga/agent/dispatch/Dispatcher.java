package org.jqga.agent.dispatch;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import com.google.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jqga.agent.protocol.Frame;
import org.jqga.agent.protocol.QDictOrder;
import org.jqga.agent.protocol.QgaJsonWriter;

/**
 * Answers one frame. The envelope is checked member by member in QDict order (so the member qemu-ga would
 * complain about first is the one we name), then the command is looked up, gated, its arguments bound, and run.
 * Thread-safe: sessions on different connections dispatch concurrently.
 */
public final class Dispatcher {
    private static final Logger LOG = Logger.getLogger(Dispatcher.class.getName());
    private static final byte DELIMITER = (byte) 0xFF;

    private final CommandRegistry registry;
    private final CommandPolicy policy;
    private final ArgumentBinder binder;
    private final Gson gson;

    @Inject
    public Dispatcher(CommandRegistry registry, CommandPolicy policy, ArgumentBinder binder, Gson gson) {
        this.registry = registry;
        this.policy = policy;
        this.binder = binder;
        this.gson = gson;
    }

    /** The bytes to send for {@code frame} (one JSON line, maybe 0xFF-prefixed), or empty for no response. */
    public Optional<byte[]> handle(Frame frame) {
        return handle(frame, rejection -> { });
    }

    /**
     * As {@link #handle(Frame)}; {@code rejected} hears, once per request, why a request was refused before any
     * command ran (malformed, unknown or disabled command), so that the caller can log it with the client's name.
     */
    public Optional<byte[]> handle(Frame frame, Consumer<String> rejected) {
        if (frame instanceof Frame.Error err) {
            rejected.accept(err.desc());
            return Optional.of(render(error(null, ErrorClass.GenericError, err.desc()), false));
        }
        JsonElement json = ((Frame.Value) frame).json();
        if (!json.isJsonObject()) {
            rejected.accept("QMP input must be a JSON object");
            return Optional.of(render(error(null, ErrorClass.GenericError, "QMP input must be a JSON object"), false));
        }
        JsonObject request = json.getAsJsonObject();
        JsonElement id = request.get("id");
        String problem = envelopeProblem(request);
        if (problem != null) {
            rejected.accept(problem);
            return Optional.of(render(error(id, ErrorClass.GenericError, problem), false));
        }
        String name = request.get("execute").getAsString();
        JsonObject arguments = request.has("arguments") ? request.getAsJsonObject("arguments") : new JsonObject();
        Optional<Command<?>> command = registry.find(name);
        if (command.isEmpty()) {
            String desc = "The command " + name + " has not been found";
            rejected.accept(desc);
            return Optional.of(render(error(id, ErrorClass.CommandNotFound, desc), false));
        }
        return run(command.get(), arguments, id, rejected);
    }

    /** An error response without id, for refusing a client before any request was read. */
    public static byte[] errorLine(String desc) {
        return render(error(null, ErrorClass.GenericError, desc), false);
    }

    private static String envelopeProblem(JsonObject request) {
        for (Map.Entry<String, JsonElement> m : QDictOrder.entries(request)) {
            JsonElement v = m.getValue();
            switch (m.getKey()) {
                case "execute":
                    if (!v.isJsonPrimitive() || !v.getAsJsonPrimitive().isString()) {
                        return "QMP input member 'execute' must be a string";
                    }
                    break;
                case "arguments":
                    if (!v.isJsonObject()) {
                        return "QMP input member 'arguments' must be an object";
                    }
                    break;
                case "id":
                    break;
                default:
                    return "QMP input member '" + m.getKey() + "' is unexpected";
            }
        }
        return request.has("execute") ? null : "QMP input lacks member 'execute'";
    }

    private <A extends Record> Optional<byte[]> run(Command<A> command, JsonObject arguments, JsonElement id,
                                                    Consumer<String> rejected) {
        CommandSpec<A> spec = command.spec();
        if (!policy.enabled(spec)) {
            rejected.accept("command " + spec.name() + " is disabled");
            return Optional.of(render(error(id, ErrorClass.CommandNotFound,
                    "Command " + spec.name() + " has been disabled: the command is not allowed"), false));
        }
        Object result;
        try {
            A args = binder.bind(spec.arguments(), arguments);
            LOG.fine(() -> spec.name() + " called");
            result = command.execute(args);
        } catch (CommandException e) {
            LOG.fine(() -> spec.name() + " failed: " + e.getMessage());
            return Optional.of(render(error(id, e.errorClass(), e.getMessage()), false));
        } catch (RuntimeException e) {
            // A bug, not a client error: log the stack trace here, send one line to the client.
            LOG.log(Level.SEVERE, "internal error in " + spec.name(), e);
            return Optional.of(render(error(id, ErrorClass.GenericError,
                    "internal error in " + spec.name() + ": " + e), false));
        }
        if (!spec.successResponse()) {
            return Optional.empty();
        }
        JsonObject response = new JsonObject();
        response.add("return", toJson(result));
        if (id != null) {
            response.add("id", id);
        }
        return Optional.of(render(response, spec.delimitedResponse()));
    }

    private JsonElement toJson(Object result) {
        if (result == null) {
            return new JsonObject();
        }
        if (result instanceof JsonElement e) {
            return e;
        }
        if (result instanceof Long || result instanceof Integer) {
            return new JsonPrimitive((Number) result);
        }
        return gson.toJsonTree(result);
    }

    private static JsonObject error(JsonElement id, ErrorClass errorClass, String desc) {
        JsonObject err = new JsonObject();
        err.addProperty("class", errorClass.name());
        err.addProperty("desc", desc);
        JsonObject response = new JsonObject();
        if (id != null) {
            response.add("id", id);
        }
        response.add("error", err);
        return response;
    }

    private static byte[] render(JsonObject response, boolean delimited) {
        StringBuilder sb = new StringBuilder(128);
        QgaJsonWriter.write(response, sb);
        sb.append('\n');
        // The writer escapes everything outside printable ASCII, so the text is pure ASCII.
        byte[] text = sb.toString().getBytes(StandardCharsets.US_ASCII);
        if (!delimited) {
            return text;
        }
        byte[] out = new byte[text.length + 1];
        out[0] = DELIMITER;
        System.arraycopy(text, 0, out, 1, text.length);
        return out;
    }
}
