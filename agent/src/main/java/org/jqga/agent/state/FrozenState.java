package org.jqga.agent.state;

import java.util.concurrent.atomic.AtomicBoolean;

/** Whether the agent froze filesystems; while it did, only frozen-safe commands are enabled. */
public final class FrozenState {
    private final AtomicBoolean frozen = new AtomicBoolean();

    public boolean isFrozen() {
        return frozen.get();
    }

    public void set(boolean value) {
        frozen.set(value);
    }
}
