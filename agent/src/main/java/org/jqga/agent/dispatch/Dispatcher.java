package org.jqga.agent.dispatch;

import com.google.gson.Gson;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonWriter;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import com.google.inject.Inject;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
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
    private static final byte DELIMITER = (byte) 0xFF;

    private final CommandRegistry registry;
    private final CommandPolicy policy;
    private final ArgumentBinder binder;
    private final Gson gson;

    /** Whether a result type has a {@link Base64Bytes} member: those results are rendered with holes. */
    private static final ClassValue<Boolean> CARRIES_BYTES = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            return type.isRecord() && Arrays.stream(type.getRecordComponents())
                    .anyMatch(c -> c.getType() == Base64Bytes.class);
        }
    };

    @Inject
    public Dispatcher(CommandRegistry registry, CommandPolicy policy, ArgumentBinder binder, Gson gson) {
        this.registry = registry;
        this.policy = policy;
        this.binder = binder;
        // Anywhere else (nested in a result the fast path does not know), the bytes are written as their text.
        this.gson = gson.newBuilder().registerTypeAdapter(Base64Bytes.class, new TypeAdapter<Base64Bytes>() {
            @Override
            public void write(JsonWriter out, Base64Bytes value) throws IOException {
                out.value(value.text());
            }

            @Override
            public Base64Bytes read(JsonReader in) {
                throw new UnsupportedOperationException("Base64Bytes is only ever written");
            }
        }).create();
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

    private <A extends Record> Optional<byte[]> run(CommandRegistry.Entry<A> command, JsonObject arguments,
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
        } catch (RuntimeException e) {
            // A bug, not a client error: log the stack trace here, send one line to the client.
            LOG.log(Level.SEVERE, "internal error in " + spec.name(), e);
            return Optional.of(render(error(id, ErrorClass.GenericError,
                    "internal error in " + spec.name() + ": " + e), false));
        }
        if (!spec.successResponse()) {
            return Optional.empty();
        }
        BytesHoles holes = result != null && CARRIES_BYTES.get(result.getClass()) ? new BytesHoles() : null;
        JsonObject response = new JsonObject();
        response.add("return", holes != null ? holes.toJson(gson, result) : toJson(result));
        if (id != null) {
            response.add("id", id);
        }
        return Optional.of(render(response, spec.delimitedResponse(), holes));
    }

    /**
     * The {@link Base64Bytes} of one result. Gson writes each as a string instance of its own, which the writer
     * recognises by identity (so no text a client or a file supplies can pose as one) and leaves empty; the base64
     * is then encoded directly into the response bytes.
     */
    private static final class BytesHoles implements QgaJsonWriter.Holes {
        private final Map<String, Base64Bytes> byMarker = new IdentityHashMap<>();
        private final List<Map.Entry<Integer, Base64Bytes>> filled = new ArrayList<>();

        JsonElement toJson(Gson gson, Object result) {
            return gson.newBuilder().registerTypeAdapter(Base64Bytes.class, new TypeAdapter<Base64Bytes>() {
                @Override
                public void write(JsonWriter out, Base64Bytes value) throws IOException {
                    @SuppressWarnings("StringOperationCanBeSimplified") // a distinct instance is the point
                    String marker = new String("base64");
                    byMarker.put(marker, value);
                    out.value(marker);
                }

                @Override
                public Base64Bytes read(JsonReader in) {
                    throw new UnsupportedOperationException("Base64Bytes is only ever written");
                }
            }).create().toJsonTree(result);
        }

        @Override
        public boolean claim(String value, int position) {
            Base64Bytes bytes = byMarker.remove(value);
            if (bytes == null) {
                return false;
            }
            filled.add(Map.entry(position, bytes));
            return true;
        }

        /** {@code text} with every hole filled, after {@code prefix} bytes left free. */
        byte[] fill(byte[] text, int prefix) {
            long size = (long) prefix + text.length;
            for (Map.Entry<Integer, Base64Bytes> f : filled) {
                size += f.getValue().encodedLength();
            }
            if (size > Integer.MAX_VALUE - 8) {
                throw new IllegalStateException("response of " + size + " bytes is too large");
            }
            byte[] out = new byte[(int) size];
            int from = 0;
            int to = prefix;
            for (Map.Entry<Integer, Base64Bytes> f : filled) {
                int at = f.getKey();
                System.arraycopy(text, from, out, to, at - from);
                to += at - from;
                from = at;
                Base64Bytes b = f.getValue();
                try (OutputStream encoder = Base64.getEncoder().wrap(new ArraySink(out, to))) {
                    encoder.write(b.data(), b.offset(), b.length());
                } catch (IOException e) {
                    throw new UncheckedIOException(e); // an in-memory sink does not fail
                }
                to += b.encodedLength();
            }
            System.arraycopy(text, from, out, to, text.length - from);
            return out;
        }
    }

    /** Writes into {@code target} from {@code position} on. */
    private static final class ArraySink extends OutputStream {
        private final byte[] target;
        private int position;

        ArraySink(byte[] target, int position) {
            this.target = target;
            this.position = position;
        }

        @Override
        public void write(int b) {
            target[position++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            System.arraycopy(b, off, target, position, len);
            position += len;
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
        return render(response, delimited, null);
    }

    private static byte[] render(JsonObject response, boolean delimited, BytesHoles holes) {
        StringBuilder sb = new StringBuilder(128);
        QgaJsonWriter.write(response, sb, holes);
        sb.append('\n');
        // The writer escapes everything outside printable ASCII, so the text is pure ASCII.
        byte[] text = sb.toString().getBytes(StandardCharsets.US_ASCII);
        int prefix = delimited ? 1 : 0;
        byte[] out;
        if (holes != null) {
            out = holes.fill(text, prefix);
        } else if (delimited) {
            out = new byte[text.length + 1];
            System.arraycopy(text, 0, out, 1, text.length);
        } else {
            return text;
        }
        if (delimited) {
            out[0] = DELIMITER;
        }
        return out;
    }
}
