package org.jqga.agent.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.ArrayList;
import java.util.List;
import org.jqga.agent.protocol.Frame;
import org.jqga.agent.protocol.Framer;
import org.jqga.agent.protocol.FramerLimits;

class FramerFuzzTest {
    @FuzzTest(maxDuration = "20s")
    void framerNeverThrows(byte[] input) {
        Framer f = new Framer(new FramerLimits(4096, 512, 32));
        List<Frame> out = new ArrayList<>();
        f.feed(input, 0, input.length, out::add);
    }
}
