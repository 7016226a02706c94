package org.jqga.agent.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        feed(first, xs(3 * MIB), a); // with its header, 3 MiB beyond its free MiB: the whole budget
        feed(second, ascii("{\"x\":\""), b);
        feed(second, xs(3 * MIB), b);
        feed(second, ascii("\"}{\"small\":1}"), b);
        String refusal = ((Frame.Error) b.get(0)).desc();
        assertTrue(refusal.startsWith("request too large for the agent's memory while other large requests are"
                + " being handled"), refusal);
        // Refused as it passes its free first MiB; the first request holds the whole budget (4 x 3 MiB).
        assertTrue(refusal.contains("this request: 1.0 MiB so far, other requests hold 12.0 MiB of the 12.0 MiB"
                + " budget"), refusal);
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

    @Test
    void oneRequestUpToTheFramerLimitIsServedOnAnIdleAgentWhateverTheBudget() {
        // A budget far below one maximal request (as half of a 256 MiB heap is below 4 x 64 MiB).
        MessageBudget small = new MessageBudget(2L * MIB * MessageBudget.COST_PER_BYTE);
        FramerLimits limits = new FramerLimits(8L * MIB, FramerLimits.QEMU.maxTokens(), 1024);
        Framer alone = new Framer(limits, small);
        List<Frame> out = new ArrayList<>();
        byte[] head = ascii("{\"x\":\"");
        feed(alone, head, out);
        feed(alone, xs(8 * MIB - head.length - 3), out);
        feed(alone, ascii("\"}"), out);
        assertEquals(1, out.size(), out::toString);
        assertInstanceOf(Frame.Value.class, out.get(0), () -> out.get(0).toString());
        assertEquals(small.total(), availableAfterTaking(small), "the overdraft was given back");

        // While the lone request holds more than the budget, a second large one is refused, then served.
        Framer second = new Framer(limits, small);
        List<Frame> a = new ArrayList<>();
        List<Frame> b = new ArrayList<>();
        feed(alone, head, a);
        feed(alone, xs(6 * MIB), a);
        feed(second, head, b);
        feed(second, xs(2 * MIB), b);
        feed(second, ascii("\"}"), b);
        assertInstanceOf(Frame.Error.class, b.get(0), () -> b.get(0).toString());
        String refusal = ((Frame.Error) b.get(0)).desc();
        // 6 MiB beyond the free one, rounded up to whole MiB, at 4 budget bytes each: above the whole budget.
        assertTrue(refusal.contains("other requests hold 24.0 MiB of the 8.0 MiB budget"), refusal);
        feed(alone, ascii("\"}"), a);
        assertInstanceOf(Frame.Value.class, a.get(0));
        feed(second, head, b);
        feed(second, xs(6 * MIB), b);
        feed(second, ascii("\"}"), b);
        assertInstanceOf(Frame.Value.class, b.get(1), "alone again, the second one is served");
        assertEquals(small.total(), availableAfterTaking(small));
    }

    @Test
    void aMessageBeyondTheFramerLimitIsRefusedForItsSizeNotAdmittedAsAnOverdraft() {
        MessageBudget small = new MessageBudget(2L * MIB * MessageBudget.COST_PER_BYTE);
        FramerLimits limits = new FramerLimits(4L * MIB, FramerLimits.QEMU.maxTokens(), 1024);
        Framer f = new Framer(limits, small);
        List<Frame> out = new ArrayList<>();
        // Two strings of 3 MiB each: each token fits, the message does not.
        feed(f, ascii("{\"x\":\""), out);
        feed(f, xs(3 * MIB), out);
        feed(f, ascii("\",\"y\":\""), out);
        feed(f, xs(3 * MIB), out);
        feed(f, ascii("\"}{\"small\":1}"), out);
        assertEquals(new Frame.Error("JSON token size limit exceeded"), out.get(0));
        assertInstanceOf(Frame.Value.class, out.get(1));
        assertEquals(small.total(), availableAfterTaking(small));
    }

    /**
     * The arithmetic SECURITY.md states: under the default 64 MiB limit the largest guest-file-write (compact JSON,
     * a handle below 10 digits) carries 50,331,594 bytes, 54 bytes short of 48 MiB, whose base64 alone is 64 MiB.
     */
    @Test
    void theLargestGuestFileWriteUnderTheDefaultLimitIs54BytesShortOf48MiB() {
        byte[] head = ascii("{\"execute\":\"guest-file-write\",\"arguments\":{\"handle\":1000,\"buf-b64\":\"");
        byte[] tail = ascii("\"}}");
        int largest = (48 << 20) - 54;
        for (int count : new int[] {largest, largest + 3}) {
            Framer f = new Framer(FramerLimits.QEMU, budget);
            List<Frame> out = new ArrayList<>();
            feed(f, head, out);
            feed(f, xs(count / 3 * 4), out);
            feed(f, tail, out);
            assertEquals(1, out.size());
            if (count == largest) {
                assertInstanceOf(Frame.Value.class, out.get(0), () -> out.get(0).toString());
            } else {
                assertEquals(new Frame.Error("JSON token size limit exceeded"), out.get(0));
            }
        }
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
