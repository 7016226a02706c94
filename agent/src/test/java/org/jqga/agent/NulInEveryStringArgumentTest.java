package org.jqga.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import com.google.gson.annotations.SerializedName;
import com.google.inject.Guice;
import com.google.inject.Stage;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.jqga.agent.cli.CommandLine;
import org.jqga.agent.cli.AgentOptions;
import org.jqga.agent.commands.CommandFamilies;
import org.jqga.agent.commands.FakePosix;
import org.jqga.agent.dispatch.ArgumentBinder;
import org.jqga.agent.dispatch.CommandException;
import org.jqga.agent.dispatch.CommandRegistry;
import org.jqga.agent.state.FrozenState;
import org.junit.jupiter.api.Test;

/**
 * Every string argument of every real command, one at a time, carries a U+0000: binding refuses it, naming the
 * parameter, so no command ever sees it. Only binding runs here (no command is called, nothing is touched), which
 * is how the dangerous commands (freeze, shutdown, password, keys) are covered safely.
 */
class NulInEveryStringArgumentTest {
    /** A string position in an argument record: its parameter path and how to build arguments with a value there. */
    private record Slot(String path, Function<JsonElement, JsonObject> argumentsWith) {
    }

    @Test
    void everyStringArgumentOfEveryCommandRefusesANul() throws Exception {
        AgentOptions options = CommandLine.parse();
        CommandRegistry registry = Guice.createInjector(Stage.DEVELOPMENT, new AgentModule(options, new FakePosix(),
                new FrozenState(options), CommandFamilies.all())).getInstance(CommandRegistry.class);
        ArgumentBinder binder = new ArgumentBinder();
        List<String> covered = new ArrayList<>();
        for (CommandRegistry.Entry<?> e : registry.all()) {
            Class<? extends Record> type = e.spec().arguments();
            for (Slot slot : slots(type, "", v -> (JsonObject) v)) {
                JsonObject arguments = slot.argumentsWith().apply(new JsonPrimitive("ok\u0000; rm -rf /"));
                CommandException refused = assertThrows(CommandException.class, () -> binder.bind(type, arguments),
                        () -> e.spec().name() + " bound " + arguments + " with a NUL in " + slot.path());
                assertEquals("Parameter '" + slot.path() + "' must not contain U+0000 (NUL): the system would cut"
                        + " the value there", refused.getMessage(), e.spec().name());
                covered.add(e.spec().name() + " " + slot.path());
            }
        }
        for (String expected : List.of("guest-file-open path", "guest-file-open mode", "guest-exec path",
                "guest-exec arg[0]", "guest-exec env[0]", "guest-ssh-add-authorized-keys username",
                "guest-ssh-add-authorized-keys keys[0]", "guest-ssh-remove-authorized-keys keys[0]",
                "guest-set-user-password username", "guest-set-user-password password",
                "guest-fsfreeze-freeze-list mountpoints[0]", "guest-shutdown mode")) {
            assertTrue(covered.contains(expected), () -> expected + " not among " + covered);
        }
    }

    /**
     * The string positions of {@code type} under {@code prefix}; {@code wrap} puts an object of {@code type} where
     * it belongs in the whole arguments. Every other member gets a valid value of its type.
     */
    private static List<Slot> slots(Class<?> type, String prefix, Function<JsonElement, JsonObject> wrap) {
        List<Slot> slots = new ArrayList<>();
        RecordComponent[] members = type.getRecordComponents();
        for (RecordComponent m : members) {
            String name = wireName(type, m);
            Function<JsonElement, JsonObject> here = v -> {
                JsonObject o = filled(type);
                o.add(name, v);
                return wrap.apply(o);
            };
            slots.addAll(slotsOf(m.getGenericType(), prefix + name, here));
        }
        return slots;
    }

    private static List<Slot> slotsOf(Type t, String path, Function<JsonElement, JsonObject> here) {
        if (t == String.class) {
            return List.of(new Slot(path, here));
        }
        if (t instanceof ParameterizedType pt && pt.getRawType() == List.class) {
            return slotsOf(pt.getActualTypeArguments()[0], path + "[0]", v -> {
                JsonArray a = new JsonArray();
                a.add(v);
                return here.apply(a);
            });
        }
        if (t instanceof Class<?> c && c.isRecord()) {
            return slots(c, path + ".", here);
        }
        return List.of();
    }

    /** An object of {@code type} with a valid value for each member. */
    private static JsonObject filled(Class<?> type) {
        JsonObject o = new JsonObject();
        for (RecordComponent m : type.getRecordComponents()) {
            o.add(wireName(type, m), sample(m.getGenericType()));
        }
        return o;
    }

    private static JsonElement sample(Type t) {
        if (t instanceof ParameterizedType pt && pt.getRawType() == List.class) {
            JsonArray a = new JsonArray();
            a.add(sample(pt.getActualTypeArguments()[0]));
            return a;
        }
        Class<?> c = (Class<?>) t;
        if (c == String.class) {
            return new JsonPrimitive("a");
        }
        if (c == boolean.class || c == Boolean.class) {
            return new JsonPrimitive(false);
        }
        if (c == double.class || c == Double.class) {
            return new JsonPrimitive(1.5);
        }
        if (c.isEnum()) {
            return new JsonPrimitive(ArgumentBinder.enumWireName((Enum<?>) c.getEnumConstants()[0]));
        }
        if (c.isRecord()) {
            return filled(c);
        }
        return new JsonPrimitive(1L); // long and the JsonElement alternates (an integer is one of each)
    }

    private static String wireName(Class<?> type, RecordComponent c) {
        try {
            SerializedName sn = type.getDeclaredField(c.getName()).getAnnotation(SerializedName.class);
            return sn != null ? sn.value() : c.getName();
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException(e);
        }
    }
}
