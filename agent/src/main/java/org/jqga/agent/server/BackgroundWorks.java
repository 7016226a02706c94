package org.jqga.agent.server;

import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The {@link BackgroundWork} the command families have started. A family registers its work when its commands
 * are first made (command families are made on first use, so an agent that never ran {@code guest-exec} has none);
 * {@link IdleExit} asks every registered one. Thread-safe.
 */
public final class BackgroundWorks implements Iterable<BackgroundWork> {
    private final List<BackgroundWork> works = new CopyOnWriteArrayList<>();

    public void add(BackgroundWork work) {
        works.add(work);
    }

    @Override
    public Iterator<BackgroundWork> iterator() {
        return works.iterator();
    }
}
