package org.jqga.agent.linux;

import com.google.inject.Provider;
import org.jqga.api.posix.Posix;

/**
 * Binds libc on first use, not when the injector is built: {@code --block-rpcs=help} and {@code --dump-conf}
 * build the injector too and must not pay for it. One instance per injector.
 */
public final class LazyPosix implements Provider<Posix> {
    private volatile Posix posix;

    @Override
    public Posix get() {
        Posix p = posix;
        if (p == null) {
            synchronized (this) {
                p = posix;
                if (p == null) {
                    p = Posix.load();
                    posix = p;
                }
            }
        }
        return p;
    }
}
