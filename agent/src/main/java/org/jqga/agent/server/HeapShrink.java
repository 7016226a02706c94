package org.jqga.agent.server;

import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The one place where the agent gives back the heap that large requests grew. A 64 MiB request takes several times
 * its size in heap while it is framed, decoded and run (see {@code MessageBudget}); the serial GC only shrinks the
 * heap on a full collection, which an idle agent never has, so that memory would stay resident. Once no large request
 * is left ({@code MessageBudget} calls {@link #request()}) and none has followed for {@link #QUIET_MILLIS}, this runs
 * one {@link System#gc()} (with {@code -XX:MaxHeapFreeRatio} the heap is then cut to its live data and given back).
 *
 * <p>Large file reads need none of this: they are streamed and never grow the heap. The thread starts with the first
 * large request, so an agent that never gets one has no such thread.
 */
public final class HeapShrink {
    private static final Logger LOG = Logger.getLogger(HeapShrink.class.getName());
    /** How long after the last large request the heap is shrunk: a client's next chunk usually comes sooner. */
    static final long QUIET_MILLIS = 1000;

    private final Runnable collect;
    private final long quietNanos;
    private final Object lock = new Object();
    private boolean pending;
    private long dueNanos;
    private Thread thread;

    public HeapShrink() {
        this(System::gc, QUIET_MILLIS);
    }

    HeapShrink(Runnable collect, long quietMillis) {
        this.collect = collect;
        this.quietNanos = TimeUnit.MILLISECONDS.toNanos(quietMillis);
    }

    /** The last large request is done: shrink the heap once nothing else has come for a while. Never blocks. */
    public void request() {
        synchronized (lock) {
            pending = true;
            dueNanos = System.nanoTime() + quietNanos;
            if (thread == null) {
                thread = new Thread(this::run, "heap-shrink");
                thread.setDaemon(true);
                thread.start();
            }
            lock.notifyAll();
        }
    }

    private void run() {
        try {
            while (true) {
                synchronized (lock) {
                    while (!pending) {
                        lock.wait();
                    }
                    long wait;
                    while ((wait = dueNanos - System.nanoTime()) > 0) {
                        TimeUnit.NANOSECONDS.timedWait(lock, wait);
                    }
                    pending = false;
                }
                long start = System.nanoTime();
                collect.run();
                LOG.fine(() -> "heap shrunk after large requests in "
                        + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
