package org.jqga.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InheritanceCleanupTest {
    @Test
    void immediateRunsTheStepAndItsFailureFailsTheCaller() throws Exception {
        List<String> ran = new ArrayList<>();
        InheritanceCleanup now = InheritanceCleanup.immediate();
        now.apply(() -> ran.add("mark"));
        assertEquals(List.of("mark"), ran);
        ActivationException failure = new ActivationException(SysExits.EX_OSERR, "fd 3: cannot set FD_CLOEXEC");
        assertSame(failure, assertThrows(ActivationException.class, () -> now.apply(() -> {
            throw failure;
        })));
        assertEquals(0, now.runDeferred());
    }

    @Test
    void deferredRunsStepsInOrderOnceAndCountsFailuresWithoutStopping() throws Exception {
        List<String> ran = new ArrayList<>();
        InheritanceCleanup later = InheritanceCleanup.deferred();
        later.apply(() -> ran.add("mark"));
        later.apply(() -> {
            throw new ActivationException(SysExits.EX_OSERR, "fd 4: cannot set FD_CLOEXEC");
        });
        later.apply(() -> ran.add("unset"));
        assertEquals(List.of(), ran, "nothing runs before runDeferred");
        assertEquals(1, later.runDeferred());
        assertEquals(List.of("mark", "unset"), ran);
        assertEquals(0, later.runDeferred());
        assertEquals(List.of("mark", "unset"), ran, "each step runs once");
    }
}
