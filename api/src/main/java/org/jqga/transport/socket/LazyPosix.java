package org.jqga.transport.socket;

import org.jqga.api.posix.Posix;

/**
 * A transport's {@link Posix}, bound on first use: a transport that the ServiceLoader made but this start never asks
 * for (inet under systemd's AF_UNIX socket, say) must not cost a libc binding. Tests hand in their own.
 */
public final class LazyPosix {
    private final Posix given;
    private volatile Posix posix;

    /** {@link Posix#load()} on the first {@link #get()}. */
    public LazyPosix() {
        this.given = null;
    }

    /** Always {@code posix}. */
    public LazyPosix(Posix posix) {
        this.given = posix;
        this.posix = posix;
    }

    public Posix get() {
        Posix p = posix;
        if (p == null) {
            synchronized (this) {
                p = posix;
                if (p == null) {
                    p = given != null ? given : Posix.load();
                    posix = p;
                }
            }
        }
        return p;
    }
}
