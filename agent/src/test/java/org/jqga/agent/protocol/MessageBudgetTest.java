package org.jqga.agent.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Framers sharing one budget: large requests beyond it are refused, small ones never are, nothing leaks. */
class MessageBudgetTest {
    private static final int MIB = 1 << 20;
    /** Room for 3 MiB of requests beyond each framer's free first MiB. */
    private final MessageBudget budget = new MessageBudget(3L * MIB * MessageBudget.COST_PER_BYTE);

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] xs(int n) {
        byte[] b = new byte[n];
        java.util.Arrays.fill(b, (byte) 'x');
        return b;
    }

    private static void feed(Framer f, byte[] bytes, List<Frame> out) {
        f.feed(bytes, 0, bytes.length, out::add);
    }

    @Test
    void aSecondLargeRequestIsRefusedWhileTheFirstHoldsTheBudgetThenAccepted() {
        Framer first = new Framer(FramerLimits.QEMU, budget);
        Framer second = new Framer(FramerLimits.QEMU, budget);
        List<Frame> a = new ArrayList<>();
        List<Frame> b = new ArrayList<>();
        feed(first, ascii("{\"x\":\""), a);
        feed(first, xs(3 * MIB), a); // holds 2 MiB of budget beyond its free MiB
        feed(second, ascii("{\"x\":\""), b);
        feed(second, xs(3 * MIB), b);
        feed(second, ascii("\"}{\"small\":1}"), b);
        assertEquals(List.of(new Frame.Error(Framer.BUDGET_EXCEEDED)), b.subList(0, 1));
        assertInstanceOf(Frame.Value.class, b.get(1), "a small request after the refusal is served");
        feed(first, ascii("\"}"), a);
        assertInstanceOf(Frame.Value.class, a.get(0));
        List<Frame> again = new ArrayList<>();
        feed(second, ascii("{\"x\":\""), again);
        feed(second, xs(3 * MIB), again);
        feed(second, ascii("\"}"), again);
        assertInstanceOf(Frame.Value.class, again.get(0), "the first request gave its budget back");
        assertEquals(budget.total(), availableAfterTaking(budget));
    }

    @Test
    void aSessionThatEndsMidRequestGivesItsShareBack() {
        Framer f = new Framer(FramerLimits.QEMU, budget);
        List<Frame> out = new ArrayList<>();
        feed(f, ascii("{\"x\":\""), out);
        feed(f, xs(3 * MIB), out);
        f.reset();
        assertEquals(budget.total(), availableAfterTaking(budget));
    }

    @Test
    void requestsWithinTheFreeAllowanceNeverTouchTheBudget() {
        MessageBudget none = new MessageBudget(0);
        Framer f = new Framer(FramerLimits.QEMU, none);
        List<Frame> out = new ArrayList<>();
        feed(f, ascii("{\"x\":\""), out);
        feed(f, xs(MIB - 16), out);
        feed(f, ascii("\"}"), out);
        assertInstanceOf(Frame.Value.class, out.get(0));
    }

    @Test
    void theHookHearsWhenTheLastLargeRequestIsDoneAndNotBefore() {
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        MessageBudget shared = new MessageBudget(8L * MIB * MessageBudget.COST_PER_BYTE, calls::incrementAndGet);
        Framer first = new Framer(FramerLimits.QEMU, shared);
        Framer second = new Framer(FramerLimits.QEMU, shared);
        List<Frame> out = new ArrayList<>();
        feed(first, ascii("{\"x\":\""), out);
        feed(first, xs(2 * MIB), out);
        feed(second, ascii("{\"x\":\""), out);
        feed(second, xs(2 * MIB), out);
        feed(first, ascii("\"}"), out);
        assertEquals(0, calls.get(), "the second large request still holds its share");
        feed(second, ascii("\"}"), out);
        assertEquals(1, calls.get());
        feed(first, ascii("{\"small\":1}"), out);
        assertEquals(1, calls.get(), "a request within the free allowance reserves nothing, so gives nothing back");
        assertEquals(3, out.size());
    }

    /** What is free, found by taking it all (and giving it back). */
    private static long availableAfterTaking(MessageBudget b) {
        long total = b.total();
        if (!b.tryReserve(total)) {
            return -1;
        }
        b.release(total);
        return total;
    }
}
