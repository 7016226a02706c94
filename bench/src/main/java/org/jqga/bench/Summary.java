package org.jqga.bench;

import java.util.Arrays;
import java.util.List;

/**
 * min, median and 90th percentile of a set of samples. The median of an even count is the mean of the two middle
 * samples; p90 is the nearest-rank percentile (the smallest sample at or above 90% of the sorted samples), so it is
 * always a value that was measured.
 */
public record Summary(int count, double min, double median, double p90) {

    public static Summary of(List<Double> samples) {
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("no samples to summarise");
        }
        double[] sorted = samples.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        if (Arrays.stream(sorted).anyMatch(Double::isNaN)) {
            throw new IllegalArgumentException("a sample is NaN: " + samples);
        }
        int n = sorted.length;
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        return new Summary(n, sorted[0], median, sorted[nearestRank(0.90, n) - 1]);
    }

    /** The 1-based nearest rank of percentile {@code p} (0 &lt; p &le; 1) among {@code n} sorted samples. */
    static int nearestRank(double p, int n) {
        // The epsilon keeps 0.9 * 10 (8.999999...) from rounding up to rank 10 instead of 9.
        return Math.max(1, (int) Math.ceil(p * n - 1e-9));
    }
}
