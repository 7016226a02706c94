package org.jqga.agent.dispatch;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import com.google.gson.annotations.SerializedName;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validates a command's {@code arguments} against its argument record and builds the record, with qemu-ga's
 * error texts. Members are visited in declaration (schema) order and the first error wins; leftover members are
 * reported after that. Supported member types: {@code long} (QAPI int, or uint64 with {@link Uint64}),
 * {@code String}, {@code boolean}, {@code double}, enums, {@code List<T>}, nested records, and
 * {@link JsonElement} for alternates that the command decodes itself.
 */
public final class ArgumentBinder {
    private final Map<Class<?>, Schema> schemas = new ConcurrentHashMap<>();

    private record Member(String wireName, Type type, boolean optional, boolean uint64) {
    }

    private record Schema(List<Member> members, Constructor<?> constructor) {
    }

    public <A extends Record> A bind(Class<A> type, JsonObject arguments) throws CommandException {
        return type.cast(record(type, arguments, ""));
    }

    private Schema schema(Class<?> type) {
        return schemas.computeIfAbsent(type, ArgumentBinder::describe);
    }

    private static Schema describe(Class<?> type) {
        RecordComponent[] components = type.getRecordComponents();
        if (components == null) {
            throw new IllegalArgumentException(type + " is not a record");
        }
        List<Member> members = new ArrayList<>();
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            RecordComponent c = components[i];
            types[i] = c.getType();
            boolean optional = c.isAnnotationPresent(OptionalArg.class);
            if (optional && c.getType().isPrimitive()) {
                throw new IllegalArgumentException(type.getName() + "." + c.getName()
                        + " is optional and must therefore have a boxed type");
            }
            members.add(new Member(wireName(type, c), c.getGenericType(), optional,
                    c.isAnnotationPresent(Uint64.class)));
        }
        try {
            Constructor<?> ctor = type.getDeclaredConstructor(types);
            ctor.setAccessible(true);
            return new Schema(List.copyOf(members), ctor);
        } catch (NoSuchMethodException e) {
            throw new IllegalArgumentException(type + " has no canonical constructor", e);
        }
    }

    private static String wireName(Class<?> type, RecordComponent c) {
        try {
            SerializedName sn = type.getDeclaredField(c.getName()).getAnnotation(SerializedName.class);
            return sn != null ? sn.value() : c.getName();
        } catch (NoSuchFieldException e) {
            return c.getName();
        }
    }

    private Object record(Class<?> type, JsonObject obj, String prefix) throws CommandException {
        Schema schema = schema(type);
        Object[] values = new Object[schema.members().size()];
        Set<String> known = new HashSet<>();
        for (int i = 0; i < values.length; i++) {
            Member m = schema.members().get(i);
            known.add(m.wireName());
            String path = prefix + m.wireName();
            if (!obj.has(m.wireName())) {
                if (!m.optional()) {
                    throw new CommandException("Parameter '" + path + "' is missing");
                }
                continue;
            }
            values[i] = value(m.type(), m.uint64(), obj.get(m.wireName()), path);
        }
        for (String key : obj.keySet()) {
            if (!known.contains(key)) {
                throw new CommandException("Parameter '" + prefix + key + "' is unexpected");
            }
        }
        try {
            return schema.constructor().newInstance(values);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof CommandException ce) {
                throw ce;
            }
            throw new IllegalStateException("constructing " + type.getName(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("constructing " + type.getName(), e);
        }
    }

    private Object value(Type type, boolean uint64, JsonElement e, String path) throws CommandException {
        if (type == JsonElement.class) {
            return e;
        }
        if (type instanceof ParameterizedType pt && pt.getRawType() == List.class) {
            if (!e.isJsonArray()) {
                throw typeError(path, "array");
            }
            JsonArray arr = e.getAsJsonArray();
            List<Object> list = new ArrayList<>(arr.size());
            for (int i = 0; i < arr.size(); i++) {
                list.add(value(pt.getActualTypeArguments()[0], false, arr.get(i), path + "[" + i + "]"));
            }
            return List.copyOf(list);
        }
        Class<?> c = (Class<?>) type;
        if (c == long.class || c == Long.class) {
            return uint64 ? uint64(e, path) : int64(e, path);
        }
        if (c == String.class) {
            if (!isPrimitive(e) || !e.getAsJsonPrimitive().isString()) {
                throw typeError(path, "string");
            }
            String s = e.getAsString();
            if (s.indexOf('\0') >= 0) {
                throw nulCharacter(path);
            }
            return s;
        }
        if (c == boolean.class || c == Boolean.class) {
            if (!isPrimitive(e) || !e.getAsJsonPrimitive().isBoolean()) {
                throw typeError(path, "boolean");
            }
            return e.getAsBoolean();
        }
        if (c == double.class || c == Double.class) {
            if (!isPrimitive(e) || !e.getAsJsonPrimitive().isNumber()) {
                throw typeError(path, "number");
            }
            return e.getAsDouble();
        }
        if (c.isEnum()) {
            if (!isPrimitive(e) || !e.getAsJsonPrimitive().isString()) {
                throw typeError(path, "string");
            }
            return enumValue(c, e.getAsString(), path);
        }
        if (c.isRecord()) {
            if (!e.isJsonObject()) {
                throw typeError(path, "object");
            }
            return record(c, e.getAsJsonObject(), path + ".");
        }
        throw new IllegalStateException("unsupported argument type " + type + " for " + path);
    }

    private static boolean isPrimitive(JsonElement e) {
        return e.isJsonPrimitive();
    }

    private static long int64(JsonElement e, String path) throws CommandException {
        if (isPrimitive(e) && e.getAsJsonPrimitive().isNumber()) {
            Number n = e.getAsNumber();
            if (n instanceof Long || n instanceof Integer) {
                return n.longValue();
            }
        }
        throw typeError(path, "integer");
    }

    private static long uint64(JsonElement e, String path) throws CommandException {
        if (isPrimitive(e) && e.getAsJsonPrimitive().isNumber()) {
            Number n = e.getAsNumber();
            if (n instanceof Long || n instanceof Integer) {
                return n.longValue(); // negative int64 values wrap, as in qemu-ga
            }
            if (n instanceof BigInteger b) {
                return b.longValue(); // the parser only makes BigIntegers that fit uint64
            }
        }
        throw new CommandException("Parameter '" + path + "' expects uint64");
    }

    private static Object enumValue(Class<?> c, String value, String path) throws CommandException {
        for (Object constant : c.getEnumConstants()) {
            if (enumWireName((Enum<?>) constant).equals(value)) {
                return constant;
            }
        }
        throw new CommandException("Parameter '" + path + "' does not accept value '" + value + "'");
    }

    /** The wire name of an enum constant: its {@link SerializedName}, else its name in lower case with dashes. */
    public static String enumWireName(Enum<?> constant) {
        try {
            SerializedName sn = constant.getDeclaringClass().getField(constant.name())
                    .getAnnotation(SerializedName.class);
            if (sn != null) {
                return sn.value();
            }
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException(e);
        }
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * Refuses a string argument containing U+0000. Every string a command takes ends up in a system call (a path,
     * an argv or environment entry, a user name, a key line): C would end the string at the NUL and act on a
     * different value than the client sent ({@code "secret\u0000.log"} opening {@code secret}), which defeats a
     * host-side check of the whole string. qemu-ga escapes the NUL as C0 80 and fails later with ENOENT or the
     * like, also a GenericError; naming the parameter is more use to the client. Strings are checked here, where
     * every command reads them; a command that decodes bytes meant for a C string checks them with this text.
     */
    public static CommandException nulCharacter(String path) {
        return new CommandException("Parameter '" + path + "' must not contain U+0000 (NUL): the system would cut"
                + " the value there");
    }

    /** {@code Invalid parameter type for 'NAME', expected: WHAT}. */
    public static CommandException typeError(String path, String expected) {
        return new CommandException("Invalid parameter type for '" + path + "', expected: " + expected);
    }

    static boolean isNumber(JsonElement e) {
        return e.isJsonPrimitive() && ((JsonPrimitive) e).isNumber();
    }
}
