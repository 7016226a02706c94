package org.jqga.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class SummaryTest {

    @Test
    void oddCountTakesTheMiddleSample() {
        Summary s = Summary.of(List.of(5.0, 1.0, 3.0));
        assertEquals(new Summary(3, 1.0, 3.0, 5.0), s);
    }

    @Test
    void evenCountAveragesTheTwoMiddleSamples() {
        assertEquals(2.5, Summary.of(List.of(4.0, 1.0, 3.0, 2.0)).median());
    }

    @Test
    void p90IsTheNearestRankSoAlwaysAMeasuredValue() {
        List<Double> tenToHundred = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            tenToHundred.add(i * 10.0);
        }
        Collections.shuffle(tenToHundred);
        assertEquals(90.0, Summary.of(tenToHundred).p90(), "rank ceil(0.9 * 10) = 9");
        assertEquals(100.0, Summary.of(List.of(10.0, 20.0, 30.0, 40.0, 50.0, 60.0, 70.0, 80.0, 90.0, 100.0, 110.0))
                .p90(), "rank ceil(0.9 * 11) = 10");
        assertEquals(7.0, Summary.of(List.of(7.0)).p90());
    }

    @Test
    void nearestRankOfSmallCounts() {
        assertEquals(1, Summary.nearestRank(0.9, 1));
        assertEquals(2, Summary.nearestRank(0.9, 2));
        assertEquals(3, Summary.nearestRank(0.9, 3));
        assertEquals(90, Summary.nearestRank(0.9, 100));
        assertEquals(901, Summary.nearestRank(0.9, 1001));
    }

    @Test
    void refusesNoSamplesAndNaN() {
        assertThrows(IllegalArgumentException.class, () -> Summary.of(List.of()));
        assertThrows(IllegalArgumentException.class, () -> Summary.of(List.of(1.0, Double.NaN)));
    }
}
