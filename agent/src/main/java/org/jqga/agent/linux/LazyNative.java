package org.jqga.agent.linux;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.function.Supplier;

/**
 * A native binding that is loaded on its first call, not when the injector builds the singletons that hold it.
 * Binding a library through jnr-ffi costs tens of milliseconds at start-up, on the path to the first reply of a
 * socket-activated agent, while most commands that need it are never called in a short-lived session.
 */
public final class LazyNative {
    private LazyNative() {
    }

    /** A {@code type} that calls {@code loader} once, on the first method call, and forwards every call to it. */
    public static <T> T of(Class<T> type, Supplier<? extends T> loader) {
        Object[] loaded = new Object[1];
        Object lock = new Object();
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return switch (method.getName()) {
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> "lazy " + type.getSimpleName();
                };
            }
            Object target;
            synchronized (lock) {
                if (loaded[0] == null) {
                    loaded[0] = loader.get();
                }
                target = loaded[0];
            }
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }));
    }
}
