package dev.cdc.bench;

import java.util.Arrays;

/**
 * The arithmetic the benchmarks share: rates, medians, ratios and the rounding of their reports. NaN stands for
 * a figure that cannot be had (no time measured, nothing to divide by), so a report shows it rather than a
 * made-up number.
 */
public final class Statistics {

    private Statistics() {
    }

    /** Messages (or events) per second; NaN when no time was measured. */
    public static double rate(int messages, long nanos) {
        return nanos <= 0 ? Double.NaN : messages / (nanos / 1e9);
    }

    /** Microseconds per message of a CPU time; NaN when the time is unknown (negative) or there were no messages. */
    public static double perMessageMicros(long nanos, int messages) {
        return nanos < 0 || messages <= 0 ? Double.NaN : nanos / 1e3 / messages;
    }

    /** The median; the mean of the middle two for an even count; NaN for none. The input is left as it was. */
    public static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /** {@code a / b}; NaN when {@code b} is not a positive number or {@code a} is NaN. */
    public static double ratio(double a, double b) {
        return b > 0 && !Double.isNaN(a) ? a / b : Double.NaN;
    }

    /** Rounded to one decimal (NaN stays NaN). */
    public static double round1(double v) {
        return Double.isNaN(v) ? v : Math.round(v * 10) / 10.0;
    }

    /** Rounded to four decimals (NaN stays NaN). */
    public static double round4(double v) {
        return Double.isNaN(v) ? v : Math.round(v * 10_000) / 10_000.0;
    }
}
