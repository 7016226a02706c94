package org.jqga.agent.server;

import com.google.inject.Inject;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jqga.agent.cli.AgentOptions;
import org.jqga.agent.dispatch.Dispatcher;
import org.jqga.agent.protocol.FramerLimits;
import org.jqga.agent.protocol.MessageBudget;
import org.jqga.api.Activation;
import org.jqga.api.Connection;
import org.jqga.api.Endpoint;
import org.jqga.api.ListeningEndpoint;
import org.jqga.api.RejectionLog;
import org.jqga.api.StreamEndpoint;

/**
 * Serves every endpoint of the activation: an accept loop per listener, a loop over sessions per stream. Sessions
 * on different connections run at once unless {@code --serialize} asks for qemu-ga's one-client-at-a-time.
 * The server finishes when {@link #stop} is called or when every endpoint is exhausted (a one-shot stream, such as
 * a systemd {@code Accept=yes} connection, was served).
 */
public final class Server {
    private static final Logger LOG = Logger.getLogger(Server.class.getName());
    private static final Duration ACCEPT_BACKOFF = Duration.ofMillis(200);
    private static final Duration SESSION_SLOT_WAIT = Duration.ofSeconds(1);
    /** On a graceful stop, how long a client must have been silent before its session stops reading. */
    private static final long QUIET_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    /** The same for a client that has sent nothing yet since it connected: its first request is on its way. */
    private static final long FIRST_REQUEST_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** How long a session thread with no session to serve is kept for the next client before it ends. */
    private static final Duration SESSION_THREAD_KEEP_ALIVE = Duration.ofSeconds(30);
    /**
     * How many threads a listener keeps waiting in accept while it can. The thread that accepted a client serves
     * it while the others wait for the next one, and goes back to waiting once it is done; a client that closes and
     * connects again at once may find its last thread still closing the previous session, so two are not enough to
     * always have one waiting without hiring another on the way to the reply.
     */
    private static final int WAITING_ACCEPTORS = 3;

    private final Activation activation;
    private final Dispatcher dispatcher;
    private final FramerLimits limits;
    private final MessageBudget budget;
    private final Semaphore serial;
    private final int maxSessions;
    /** One permit per session that may be open; taken before a session starts, given back when it has ended. */
    private final Semaphore sessionSlots;
    private final RejectionLog rejections = new RejectionLog();
    /** Clients turned away at {@code --max-sessions}: a warning, the operator may have to raise the limit. */
    private final RejectionLog refusals = new RejectionLog(Level.WARNING);
    private final Set<Session> open = ConcurrentHashMap.newKeySet();
    private final List<Thread> threads = new ArrayList<>();
    private final List<Acceptors> acceptors = new ArrayList<>();
    private final CountDownLatch finished = new CountDownLatch(1);
    private final AtomicInteger liveEndpoints = new AtomicInteger();
    private final AtomicInteger sessionCounter = new AtomicInteger();
    /**
     * Accepts on the listeners and runs their sessions (see {@link #accepting}): a thread per open session and one
     * or two waiting in accept, but a thread that has no session to serve waits a while for work instead of
     * ending, so that a host tool that connects per command does not pay for a thread's start and end at each
     * connection. Owned by this server and shut down by {@link #stop}.
     */
    private final ExecutorService sessionThreads = new ThreadPoolExecutor(0, Integer.MAX_VALUE,
            SESSION_THREAD_KEEP_ALIVE.toMillis(), TimeUnit.MILLISECONDS, new SynchronousQueue<>(),
            SessionThread::new);
    private final AtomicReference<Instant> idleSince = new AtomicReference<>(Instant.now());
    private volatile boolean stopping;

    @Inject
    public Server(Activation activation, Dispatcher dispatcher, FramerLimits limits, MessageBudget budget,
                  AgentOptions options) {
        this.activation = activation;
        this.budget = budget;
        this.dispatcher = dispatcher;
        this.limits = limits;
        this.serial = options.serialize() ? new Semaphore(1) : null;
        this.maxSessions = options.limits().maxSessions();
        this.sessionSlots = new Semaphore(maxSessions);
    }

    /**
     * Starts serving every endpoint and returns: a thread per stream endpoint, and for each listener
     * {@link #WAITING_ACCEPTORS} session threads that accept on it, or one for a listener that takes one accept at
     * a time (see {@link #accepting}).
     */
    public synchronized void start() {
        List<Endpoint> endpoints = activation.endpoints();
        liveEndpoints.set(endpoints.size());
        for (Endpoint e : endpoints) {
            if (e instanceof ListeningEndpoint l) {
                Acceptors a = new Acceptors(l);
                acceptors.add(a);
                for (int i = 0; i < a.wanted; i++) {
                    a.holders.incrementAndGet();
                    sessionThreads.execute(() -> accepting(a));
                }
            } else {
                Thread t = new Thread(() -> {
                    try {
                        streamLoop((StreamEndpoint) e);
                    } finally {
                        endpointFinished();
                    }
                }, "endpoint " + e.name());
                threads.add(t);
                t.start();
            }
            LOG.info(() -> "serving " + e.describe());
        }
    }

    /** Blocks until {@link #stop} is called or every endpoint is exhausted. */
    public void awaitTermination() throws InterruptedException {
        finished.await();
    }

    /** Asks the server to finish; {@link #awaitTermination()} returns. */
    public void requestStop() {
        stopping = true;
        finished.countDown();
    }

    /** Since when no session has been open, or empty while one is. */
    public Optional<Instant> idleSince() {
        if (!open.isEmpty()) {
            return Optional.empty(); // also while a closing session and a new one race on idleSince
        }
        return Optional.ofNullable(idleSince.get());
    }

    /**
     * Stops accepting and ends the sessions gracefully within {@code grace}: a command running is finished and
     * answered, a request already sent (or still arriving) is read and answered, and a session stops reading only
     * once its client has been silent for a moment (longer for a client that connected and has sent nothing yet), so
     * that no accepted connection is dropped with its request unanswered. A client silent in the middle of a request
     * is stopped like an idle one: its partial request is dropped rather than wait out the grace for the rest.
     * Whatever is still open at the deadline is closed.
     */
    public void stop(Duration grace) {
        stopping = true;
        finished.countDown();
        activation.endpoints().forEach(Endpoint::close);
        long deadline = System.nanoTime() + grace.toNanos();
        // An endpoint loop may still hand out a connection it accepted just before the close; once the loops have
        // ended (and no accept on a listener is under way), every accepted connection is in `open` and is waited
        // for below, so none is dropped unanswered.
        try {
            for (Thread t : endpointThreads()) {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            }
            for (Acceptors a : listenerAcceptors()) {
                a.awaitNoAccept(deadline);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        while (!open.isEmpty() && System.nanoTime() < deadline) {
            for (Session s : open) {
                if (s.idle(QUIET_NANOS, FIRST_REQUEST_NANOS)) {
                    s.stopReading();
                }
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (!open.isEmpty()) {
            LOG.warning(() -> open.size() + " session(s) still busy after the " + grace.toSeconds()
                    + " s shutdown grace period; closing them");
        }
        open.forEach(s -> s.connection().close());
        sessionThreads.shutdown(); // the idle session threads end now, the busy ones when their session has
    }

    private synchronized List<Thread> endpointThreads() {
        return List.copyOf(threads);
    }

    private synchronized List<Acceptors> listenerAcceptors() {
        return List.copyOf(acceptors);
    }

    /**
     * Accepts on a listener until the server stops, as one of its {@link Acceptors}: the thread that accepted a
     * client serves it itself, so that no hand-over to another thread stands between the accept and the first read
     * of the request. When it was the only thread waiting in accept (all the others serve a client), it first lets
     * another session thread accept meanwhile; once its session has ended it accepts again if fewer than
     * {@link #WAITING_ACCEPTORS} are waiting, and otherwise goes back to the pool. So a client that connects per
     * command is accepted by a thread that is already waiting in accept, as qemu-ga's main loop is, and served by
     * it, with no other thread to wake. On a listener shared with a supervisor only one thread waits in accept at a
     * time (the others wait for it), so that no accept outlives {@link #stop} and takes a client meant for the next
     * instance.
     */
    private void accepting(Acceptors a) {
        Thread self = Thread.currentThread();
        String acceptorName = "endpoint " + a.endpoint.name();
        try {
            while (!stopping) {
                if (!self.getName().equals(acceptorName)) {
                    self.setName(acceptorName);
                }
                a.waiting.incrementAndGet();
                acquireTurn();
                a.exclusive.acquireUninterruptibly();
                a.acceptStarted();
                Connection c;
                try {
                    c = a.endpoint.accept();
                } catch (IOException e) {
                    abandonAccept(a);
                    if (stopping) {
                        return;
                    }
                    LOG.warning(() -> "accept on " + a.endpoint.describe() + " failed: " + e.getMessage()
                            + "; retrying in " + ACCEPT_BACKOFF.toMillis() + " ms");
                    sleep(ACCEPT_BACKOFF);
                    continue;
                } catch (RuntimeException | Error e) {
                    abandonAccept(a);
                    throw e;
                }
                a.exclusive.release();
                boolean wasLastWaiting = a.waiting.decrementAndGet() == 0;
                Session session;
                try {
                    if (!awaitSessionSlot()) {
                        refuse(c);
                        continue;
                    }
                    session = track(c);
                } finally {
                    a.acceptEnded();
                }
                if (wasLastWaiting) {
                    hire(a);
                }
                self.setName("session " + sessionCounter.incrementAndGet());
                serve(session);
                if (a.waiting.get() >= a.wanted) {
                    return; // enough others accept: back to the pool
                }
            }
        } finally {
            self.setName("idle session thread");
            if (a.holders.decrementAndGet() == 0) {
                endpointFinished();
            }
        }
    }

    /** Undoes what entering an accept on {@code a}'s listener took, after an accept that returned no connection. */
    private void abandonAccept(Acceptors a) {
        a.acceptEnded();
        a.exclusive.release();
        a.waiting.decrementAndGet();
        releaseTurn();
    }

    /** Lets one more session thread accept on {@code a}'s listener, unless {@link #stop} has ended them. */
    private void hire(Acceptors a) {
        a.holders.incrementAndGet();
        try {
            sessionThreads.execute(() -> accepting(a));
        } catch (RejectedExecutionException e) {
            a.holders.decrementAndGet(); // never the last one: the caller is one too
        }
    }

    private void endpointFinished() {
        if (liveEndpoints.decrementAndGet() == 0) {
            finished.countDown();
        }
    }

    private void streamLoop(StreamEndpoint endpoint) {
        while (!stopping) {
            acquireTurn();
            Optional<Connection> c;
            try {
                c = endpoint.open();
            } catch (IOException e) {
                releaseTurn();
                if (stopping) {
                    return;
                }
                LOG.warning(() -> "opening " + endpoint.describe() + " failed: " + e.getMessage());
                sleep(ACCEPT_BACKOFF);
                continue;
            }
            if (c.isEmpty()) {
                releaseTurn();
                LOG.fine(() -> endpoint.describe() + " is finished");
                return;
            }
            sessionSlots.acquireUninterruptibly();
            serve(track(c.get()));
        }
    }

    /**
     * {@code --max-sessions} reached: the client gets one error line instead of a session (no byte of it is read)
     * and is disconnected; the sessions already open go on.
     */
    private void refuse(Connection c) {
        String why = "too many sessions: " + maxSessions + " clients are connected (--max-sessions)";
        refusals.rejected(c.peer().description(), why);
        try {
            OutputStream out = c.out();
            out.write(Dispatcher.errorLine(why));
            out.flush();
        } catch (IOException e) {
            LOG.fine(() -> "cannot tell " + c.peer().description() + " that it was refused: " + e.getMessage());
        } finally {
            c.close();
            releaseTurn();
        }
    }

    /**
     * A client that just closed its session may still count for a moment (its session has not seen the end of the
     * stream yet), so a full house waits briefly for a slot before a newcomer is refused.
     */
    private boolean awaitSessionSlot() {
        try {
            return sessionSlots.tryAcquire(SESSION_SLOT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Counts {@code c} as open from the moment it was accepted, before its session thread runs. */
    private Session track(Connection c) {
        Session s = new Session(c, dispatcher, limits, budget, rejections);
        open.add(s);
        idleSince.set(null);
        return s;
    }

    private void serve(Session s) {
        try {
            if (Thread.currentThread() instanceof SessionThread t) {
                s.run(t.buffers());
            } else {
                s.run(); // a stream endpoint's one session, on the endpoint's thread
            }
        } finally {
            open.remove(s);
            sessionSlots.release();
            if (open.isEmpty()) {
                idleSince.compareAndSet(null, Instant.now());
            }
            releaseTurn();
        }
    }

    private void acquireTurn() {
        if (serial != null) {
            serial.acquireUninterruptibly();
        }
    }

    private void releaseTurn() {
        if (serial != null) {
            serial.release();
        }
    }

    private static void sleep(Duration d) {
        try {
            TimeUnit.MILLISECONDS.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A thread of the session pool, with the buffers for the sessions it serves one after the other. */
    private static final class SessionThread extends Thread {
        private SessionBuffers buffers;

        SessionThread(Runnable task) {
            super(task, "idle session thread");
        }

        SessionBuffers buffers() {
            if (buffers == null) {
                buffers = new SessionBuffers();
            }
            return buffers;
        }
    }

    /** The threads that accept on one listener. */
    private static final class Acceptors {
        final ListeningEndpoint endpoint;
        /** Threads waiting in accept, or for their turn to ({@code --serialize}). */
        final AtomicInteger waiting = new AtomicInteger();
        /** Threads that accept on the listener now or will again once their session has ended. */
        final AtomicInteger holders = new AtomicInteger();
        /** How many threads should wait in accept: {@link #WAITING_ACCEPTORS}, or one at a time. */
        final int wanted;
        /**
         * Lets one thread at a time into {@link ListeningEndpoint#accept()} when the listener does not take several
         * (a supervisor's socket: see {@link ListeningEndpoint#acceptsConcurrently()}); unlimited when it does.
         */
        final Semaphore exclusive;
        /** Threads between the start of an accept and the tracking of the connection it returned. */
        private int accepting;

        Acceptors(ListeningEndpoint endpoint) {
            this.endpoint = endpoint;
            boolean concurrent = endpoint.acceptsConcurrently();
            this.wanted = concurrent ? WAITING_ACCEPTORS : 1;
            this.exclusive = new Semaphore(concurrent ? Integer.MAX_VALUE : 1);
        }

        synchronized void acceptStarted() {
            accepting++;
        }

        synchronized void acceptEnded() {
            if (--accepting == 0) {
                notifyAll();
            }
        }

        /**
         * Once the listener is closed: waits until every accept under way has failed or its connection is tracked,
         * or until {@code deadline} ({@link System#nanoTime()}).
         */
        synchronized void awaitNoAccept(long deadline) throws InterruptedException {
            long left;
            while (accepting > 0 && (left = deadline - System.nanoTime()) > 0) {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }
    }
}
