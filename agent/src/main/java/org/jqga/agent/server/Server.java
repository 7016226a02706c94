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
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
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
     * How long a listener may go without a thread waiting in accept (its only one is serving the client it accepted)
     * before another session thread is hired to accept. One waiting thread, not several: the kernel wakes the
     * longest-waiting of several acceptors, so with more than one every connection woke a sleeping thread on the
     * other core instead of being taken by the thread that had just finished the previous one, which halved the rate
     * of a host tool that connects per command (a plain junixsocket accept loop: 14,400/s with one thread, 7,700/s
     * with two, 8,400/s with three; qemu-ga 13,300/s). A client that connects while another is being served waits
     * this long at most for its accept, which no client can tell from the connect itself.
     */
    private static final long HIRE_DELAY_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    /** How long the listener watch keeps looking every {@link #HIRE_DELAY_NANOS} after the last session ended. */
    private static final long WATCH_LINGER_NANOS = TimeUnit.SECONDS.toNanos(1);

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
    /**
     * Accepts on the listeners and runs their sessions (see {@link #accepting}): a thread per open session and one
     * waiting in accept, but a thread that has no session to serve waits a while for work instead of
     * ending, so that a host tool that connects per command does not pay for a thread's start and end at each
     * connection. Owned by this server and shut down by {@link #stop}.
     */
    private final ExecutorService sessionThreads = new ThreadPoolExecutor(0, Integer.MAX_VALUE,
            SESSION_THREAD_KEEP_ALIVE.toMillis(), TimeUnit.MILLISECONDS, new SynchronousQueue<>(),
            SessionThread::new);
    private final AtomicReference<Instant> idleSince = new AtomicReference<>(Instant.now());
    /** Hires an acceptor for a listener left without one (see {@link #watchListeners}); made by {@link #start}. */
    private Thread listenerWatch;
    /** The listener watch is parked until a listener is left without an acceptor (see {@link #leftUnattended}). */
    private volatile boolean watchParked;
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
     * Starts serving every endpoint and returns: a thread per stream endpoint, and for each listener a session
     * thread that accepts on it (see {@link #accepting}), with the listener watch that hires more when needed.
     */
    public synchronized void start() {
        List<Endpoint> endpoints = activation.endpoints();
        liveEndpoints.set(endpoints.size());
        for (Endpoint e : endpoints) {
            if (e instanceof ListeningEndpoint l) {
                Acceptors a = new Acceptors(l);
                acceptors.add(a);
                a.holders.incrementAndGet();
                sessionThreads.execute(() -> accepting(a));
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
        if (!acceptors.isEmpty()) {
            List<Acceptors> listeners = List.copyOf(acceptors);
            listenerWatch = new Thread(() -> watchListeners(listeners), "listener watch");
            listenerWatch.setDaemon(true);
            listenerWatch.start();
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
        Thread watch = listenerThread();
        if (watch != null) {
            LockSupport.unpark(watch);
        }
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

    private synchronized Thread listenerThread() {
        return listenerWatch;
    }

    /**
     * Accepts on a listener until the server stops, as one of its {@link Acceptors}: the thread that accepted a
     * client serves it itself, so that no hand-over to another thread stands between the accept and the first read
     * of the request, and then accepts again unless another thread has taken over the accepting meanwhile (it then
     * goes back to the pool). A listener has one thread waiting in accept: while that one serves, nobody accepts,
     * and the next client waits in the listen backlog until the thread is back, which for a host tool that connects
     * per command is a few microseconds and no thread to wake; only a session that lasts longer than
     * {@link #HIRE_DELAY_NANOS} makes the listener watch hire another acceptor. On a listener shared with a
     * supervisor only one thread is in accept at a time, so that no accept outlives {@link #stop} and takes a
     * client meant for the next instance.
     */
    private void accepting(Acceptors a) {
        Thread self = Thread.currentThread();
        String acceptorName = "endpoint " + a.endpoint.name();
        if (!self.getName().equals(acceptorName)) {
            self.setName(acceptorName); // once: renaming a thread is a system call, not worth one per session
        }
        try {
            while (!stopping) {
                a.enterWaiting();
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
                if (a.leaveWaiting()) {
                    leftUnattended();
                }
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
                serve(session);
                if (a.waiting.get() > 0) {
                    return; // another thread accepts now: back to the pool
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
        if (a.leaveWaiting()) {
            leftUnattended();
        }
        releaseTurn();
    }

    /** A listener has just been left without a thread waiting in accept: the listener watch must look at it. */
    private void leftUnattended() {
        if (watchParked) {
            LockSupport.unpark(listenerThread());
        }
    }

    /**
     * The listener watch: while some listener has nobody waiting in accept, it looks every
     * {@link #HIRE_DELAY_NANOS} and hires an acceptor for one that has been left so for that long. With no listener
     * left so for {@link #WATCH_LINGER_NANOS} it parks until one is ({@link #leftUnattended}), so that an idle
     * agent has no timer running and one under a stream of short connections is not woken per connection.
     */
    private void watchListeners(List<Acceptors> listeners) {
        // Parked from the start: until a listener is first left without an acceptor there is nothing to watch, so an
        // agent waiting for its first client runs no timer.
        long lastSeen = System.nanoTime() - WATCH_LINGER_NANOS;
        while (!stopping) {
            long now = System.nanoTime();
            boolean unattended = false;
            for (Acceptors a : listeners) {
                long since = a.unattendedSince();
                if (since != 0) {
                    unattended = true;
                    if (now - since >= HIRE_DELAY_NANOS && a.takeOver(since)) {
                        hire(a);
                    }
                }
            }
            if (unattended) {
                lastSeen = now;
            }
            if (now - lastSeen < WATCH_LINGER_NANOS) {
                LockSupport.parkNanos(HIRE_DELAY_NANOS);
                continue;
            }
            // Parked, then looked once more: a listener left after this look unparks the watch (both flags are
            // volatile, so at least one of the two sides sees the other's write).
            watchParked = true;
            boolean any = false;
            for (Acceptors a : listeners) {
                any |= a.unattendedSince() != 0;
            }
            if (!any && !stopping) {
                LockSupport.park(this);
            }
            watchParked = false;
            lastSeen = System.nanoTime();
        }
    }

    /** Lets one more session thread accept on {@code a}'s listener, unless {@link #stop} has ended them. */
    private void hire(Acceptors a) {
        a.holders.incrementAndGet();
        try {
            sessionThreads.execute(() -> accepting(a));
        } catch (RejectedExecutionException e) {
            a.holders.decrementAndGet(); // never the last one: the thread serving the listener's client is one too
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
        /**
         * Lets one thread at a time into {@link ListeningEndpoint#accept()} when the listener does not take several
         * (a supervisor's socket: see {@link ListeningEndpoint#acceptsConcurrently()}); unlimited when it does.
         */
        final Semaphore exclusive;
        /** {@link System#nanoTime()} when the last waiting thread left, 0 while one waits or one was hired. */
        private final AtomicLong unattendedSince = new AtomicLong();
        /** Threads between the start of an accept and the tracking of the connection it returned. */
        private int accepting;

        Acceptors(ListeningEndpoint endpoint) {
            this.endpoint = endpoint;
            this.exclusive = new Semaphore(endpoint.acceptsConcurrently() ? Integer.MAX_VALUE : 1);
        }

        void enterWaiting() {
            waiting.incrementAndGet();
            unattendedSince.set(0);
        }

        /** Whether the listener is now left without a waiting thread. */
        boolean leaveWaiting() {
            if (waiting.decrementAndGet() == 0) {
                unattendedSince.set(Math.max(1, System.nanoTime()));
                return true;
            }
            return false;
        }

        long unattendedSince() {
            return unattendedSince.get();
        }

        /** Whether the caller is to hire an acceptor: nobody waits, and nobody else has hired since {@code since}. */
        boolean takeOver(long since) {
            if (waiting.get() > 0) {
                unattendedSince.compareAndSet(since, 0); // a thread came back between its count and this mark
                return false;
            }
            return unattendedSince.compareAndSet(since, 0);
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
