package org.jqga.activation.systemd;

import java.util.ArrayList;
import java.util.List;
import org.jqga.api.posix.ForwardingPosix;
import org.jqga.api.posix.Posix;
import org.jqga.api.posix.PosixException;

/**
 * The real {@link Posix}, except that {@code unsetenv} is recorded instead of done: a test must not strip the
 * variables of the JVM running the whole suite, and what matters is which names the provider removes. Public for
 * the tests of {@link org.jqga.api.InheritedSockets}, which live in its package.
 */
public final class RecordingPosix extends ForwardingPosix {
    public final List<String> unset = new ArrayList<>();
    public final List<Integer> closed = new ArrayList<>();

    public RecordingPosix() {
        super(Posix.load());
    }

    @Override
    public void unsetenv(String name) {
        unset.add(name);
    }

    @Override
    public void close(int fd) throws PosixException {
        closed.add(fd);
        super.close(fd);
    }
}
