package org.jqga.agent.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import com.google.gson.annotations.SerializedName;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.math.BigInteger;
import java.util.ArrayList;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.util.List;
import org.jqga.agent.dispatch.ArgumentBinder;
import org.jqga.agent.dispatch.CommandException;
import org.jqga.agent.dispatch.CommandSpec;

/**
 * Request decoding: fuzzed JSON bound by the {@link ArgumentBinder} to the argument record of every registered
 * command. The binder must either build the record or refuse with a {@link CommandException} (qemu-ga's parameter
 * errors); any other exception escaping it is a bug.
 */
class RequestDecodingFuzzTest {
    private static final List<CommandSpec<?>> SPECS = DispatcherFuzzTest.commands().stream()
            .<CommandSpec<?>>map(c -> c.spec()).toList();
    private static final ArgumentBinder BINDER = new ArgumentBinder();

    /** Every member name of every argument record (nested ones too): the keys the generator picks from. */
    private static final List<String> NAMES = SPECS.stream().flatMap(s -> memberNames(s.arguments()).stream())
            .distinct().sorted().toList();

    @FuzzTest(maxDuration = "30s")
    void bindingFailsOnlyWithParameterErrors(FuzzedDataProvider data) {
        CommandSpec<?> spec = SPECS.get(data.consumeInt(0, SPECS.size() - 1));
        JsonElement json;
        if (data.consumeBoolean()) {
            json = object(data, 0);
        } else {
            try {
                json = JsonParser.parseString(data.consumeRemainingAsString());
            } catch (JsonParseException | StackOverflowError e) {
                return; // not JSON: the framer never hands such text to the binder
            }
        }
        if (json == null || !json.isJsonObject()) {
            return; // the dispatcher refuses non-object arguments before binding
        }
        try {
            BINDER.bind(spec.arguments(), json.getAsJsonObject());
        } catch (CommandException e) {
            if (e.getMessage() == null || e.getMessage().isEmpty()) {
                throw new AssertionError("a parameter error without a text for " + spec.name());
            }
        }
    }

    /** A JSON object whose keys are mostly real member names, with values of every JSON type. */
    private static JsonObject object(FuzzedDataProvider data, int depth) {
        JsonObject o = new JsonObject();
        int members = data.consumeInt(0, 6);
        for (int i = 0; i < members && data.remainingBytes() > 0; i++) {
            String key = data.consumeInt(0, 9) == 0 ? data.consumeString(12)
                    : NAMES.get(data.consumeInt(0, NAMES.size() - 1));
            o.add(key, value(data, depth + 1));
        }
        return o;
    }

    private static JsonElement value(FuzzedDataProvider data, int depth) {
        switch (data.consumeInt(0, depth > 6 ? 5 : 7)) {
            case 0: return JsonNull.INSTANCE;
            case 1: return new JsonPrimitive(data.consumeBoolean());
            case 2: return new JsonPrimitive(data.consumeLong());
            case 3: return new JsonPrimitive(data.consumeDouble());
            case 4: return new JsonPrimitive(new BigInteger(1, data.consumeBytes(9))); // beyond int64: uint64
            case 5: return new JsonPrimitive(data.consumeString(24));
            case 6: {
                JsonArray a = new JsonArray();
                int n = data.consumeInt(0, 4);
                for (int i = 0; i < n && data.remainingBytes() > 0; i++) {
                    a.add(value(data, depth + 1));
                }
                return a;
            }
            default: return object(data, depth);
        }
    }

    private static List<String> memberNames(Class<?> record) {
        List<String> names = new ArrayList<>();
        if (record.getRecordComponents() == null) {
            return names;
        }
        for (RecordComponent c : record.getRecordComponents()) {
            SerializedName wire = c.getAnnotation(SerializedName.class);
            names.add(wire != null ? wire.value() : c.getName());
            Class<?> t = c.getType();
            if (t.isRecord()) {
                names.addAll(memberNames(t));
            } else if (c.getGenericType() instanceof ParameterizedType p
                    && p.getActualTypeArguments()[0] instanceof Class<?> element && element.isRecord()) {
                names.addAll(memberNames(element));
            }
        }
        return names;
    }
}
