package org.jqga.agent.dispatch;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonWriter;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import com.google.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
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

    private final CommandRegistry registry;
    private final CommandPolicy policy;
    private final ArgumentBinder binder;

    /** Whether a result type has a {@link Base64Payload} member: those results are rendered with holes. */
    private static final ClassValue<Boolean> CARRIES_BYTES = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            return type.isRecord() && Arrays.stream(type.getRecordComponents())
                    .anyMatch(c -> Base64Payload.class.isAssignableFrom(c.getType()));
        }
    };

    @Inject
    public Dispatcher(CommandRegistry registry, CommandPolicy policy, ArgumentBinder binder) {
        this.registry = registry;
        this.policy = policy;
        this.binder = binder;
    }

    /**
     * The Gson that renders results by reflection, made when the first such result is (a holder class: the JVM
     * initialises it once, on first use). A ping, {@code guest-sync}, an error or a result that is already a JSON
     * tree needs none, so the first reply does not wait for Gson's adapters (about 120 classes and their set-up).
     * HTML is not escaped, as qemu-ga does not; a {@link Base64Payload} the fast path does not know (nested in a
     * result) is written as its text.
     */
    private static final class ResultGson {
        static final Gson INSTANCE = new GsonBuilder().disableHtmlEscaping()
                .registerTypeHierarchyAdapter(Base64Payload.class, new TypeAdapter<Base64Payload>() {
                    @Override
                    public void write(JsonWriter out, Base64Payload value) throws IOException {
                        out.value(value.text());
                    }

                    @Override
                    public Base64Payload read(JsonReader in) {
                        throw new UnsupportedOperationException("Base64Bytes is only ever written");
                    }
                }).create();
    }

    /** The bytes to send for {@code frame} (one JSON line, maybe 0xFF-prefixed), or empty for no response. */
    public Optional<byte[]> handle(Frame frame) {
        return reply(frame, rejection -> { }).map(Reply::toBytes);
    }

    /**
     * The response to {@code frame}, to be written to the client's stream (large file reads are produced while it
     * is written), or empty for no response. {@code rejected} hears, once per request, why a request was refused
     * before any command ran (malformed, unknown or disabled command), so that the caller can log it with the
     * client's name.
     */
    public Optional<Reply> reply(Frame frame, Consumer<String> rejected) {
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
        Optional<CommandRegistry.Entry<?>> command = registry.find(name);
        if (command.isEmpty()) {
            String desc = "The command " + name + " has not been found";
            rejected.accept(desc);
            return Optional.of(render(error(id, ErrorClass.CommandNotFound, desc), false));
        }
        return run(command.get(), arguments, id, rejected);
    }

    /** An error response without id, for refusing a client before any request was read. */
    public static byte[] errorLine(String desc) {
        return render(error(null, ErrorClass.GenericError, desc), false).toBytes();
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

    private <A extends Record> Optional<Reply> run(CommandRegistry.Entry<A> command, JsonObject arguments,
                                                   JsonElement id, Consumer<String> rejected) {
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
            result = command.command().execute(args);
        } catch (CommandException e) {
            LOG.fine(() -> spec.name() + " failed: " + e.getMessage());
            return Optional.of(render(error(id, e.errorClass(), e.getMessage()), false));
        } catch (RuntimeException | StackOverflowError e) {
            // A bug, not a client error: log the stack trace here, send one line to the client. A stack overflow
            // has unwound to here and left nothing half-done that the next request would meet.
            LOG.log(Level.SEVERE, "internal error in " + spec.name(), e);
            return Optional.of(render(error(id, ErrorClass.GenericError,
                    "internal error in " + spec.name() + ": " + e), false));
        }
        if (!spec.successResponse()) {
            return Optional.empty();
        }
        BytesHoles holes = result != null && CARRIES_BYTES.get(result.getClass()) ? new BytesHoles() : null;
        try {
            JsonObject response = new JsonObject();
            response.add("return", holes != null ? holes.toJson(ResultGson.INSTANCE, result) : toJson(result));
            if (id != null) {
                response.add("id", id);
            }
            return Optional.of(render(response, spec.delimitedResponse(), holes));
        } catch (RuntimeException | Error e) {
            if (holes != null) {
                holes.release(); // a streamed file read gives its handle back
            }
            throw e;
        }
    }

    /**
     * The {@link Base64Payload}s of one result. Gson writes each as a string instance of its own, which the writer
     * recognises by identity (so no text a client or a file supplies can pose as one) and leaves empty; the base64
     * is then encoded straight into the client's stream when the {@link Reply} is written.
     */
    private static final class BytesHoles implements QgaJsonWriter.Holes {
        private final Map<String, Base64Payload> byMarker = new IdentityHashMap<>();
        private final List<Map.Entry<Integer, Base64Payload>> filled = new ArrayList<>();

        JsonElement toJson(Gson gson, Object result) {
            return gson.newBuilder().registerTypeHierarchyAdapter(Base64Payload.class,
                    new TypeAdapter<Base64Payload>() {
                @Override
                public void write(JsonWriter out, Base64Payload value) throws IOException {
                    @SuppressWarnings("StringOperationCanBeSimplified") // a distinct instance is the point
                    String marker = new String("base64");
                    byMarker.put(marker, value);
                    out.value(marker);
                }

                @Override
                public Base64Payload read(JsonReader in) {
                    throw new UnsupportedOperationException("Base64Bytes is only ever written");
                }
            }).create().toJsonTree(result);
        }

        @Override
        public boolean claim(String value, int position) {
            Base64Payload bytes = byMarker.remove(value);
            if (bytes == null) {
                return false;
            }
            filled.add(Map.entry(position, bytes));
            return true;
        }

        /** {@code text} with its holes, to be filled as it is written. */
        Reply reply(byte[] text, boolean delimited) {
            byMarker.values().forEach(Base64Payload::release); // none is left unclaimed, but none may leak either
            int[] positions = new int[filled.size()];
            Base64Payload[] payloads = new Base64Payload[filled.size()];
            for (int i = 0; i < positions.length; i++) {
                positions[i] = filled.get(i).getKey();
                payloads[i] = filled.get(i).getValue();
            }
            return new Reply(text, delimited, positions, payloads);
        }

        /** Every payload of the result, also those the text did not claim. */
        void release() {
            byMarker.values().forEach(Base64Payload::release);
            filled.forEach(f -> f.getValue().release());
        }
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
        return ResultGson.INSTANCE.toJsonTree(result);
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

    private static Reply render(JsonObject response, boolean delimited) {
        return render(response, delimited, null);
    }

    private static Reply render(JsonObject response, boolean delimited, BytesHoles holes) {
        StringBuilder sb = new StringBuilder(128);
        QgaJsonWriter.write(response, sb, holes);
        sb.append('\n');
        // The writer escapes everything outside printable ASCII, so the text is pure ASCII.
        byte[] text = sb.toString().getBytes(StandardCharsets.US_ASCII);
        return holes != null ? holes.reply(text, delimited) : Reply.of(text, delimited);
    }
}
