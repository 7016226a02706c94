package org.jqga.agent.server;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The heap is shrunk after large requests, also again after later ones. */
class HeapShrinkTest {
    @Test
    void collectsAfterARequestAndAgainAfterALaterOne() throws InterruptedException {
        CountDownLatch first = new CountDownLatch(1);
        CountDownLatch second = new CountDownLatch(2);
        HeapShrink shrink = new HeapShrink(() -> {
            first.countDown();
            second.countDown();
        }, 10);
        shrink.request();
        shrink.request(); // a burst: the quiet period starts again
        assertTrue(first.await(60, TimeUnit.SECONDS), "no collection after a request");
        shrink.request();
        assertTrue(second.await(60, TimeUnit.SECONDS), "no collection after a later request");
    }
}
