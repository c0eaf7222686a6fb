package dev.cdc.generator;

import java.util.Locale;

/**
 * Events per second the generator paces itself to, or {@link #MAX} for as fast as it can. Written {@code 5000/min},
 * {@code 200/s}, {@code max}; a bare number is per minute, like the seed's {@code EVENTS_PER_MINUTE}.
 */
public record Rate(double perSecond) {

    public static final Rate MAX = new Rate(Double.POSITIVE_INFINITY);

    public Rate {
        if (!(perSecond > 0)) {
            throw new IllegalArgumentException("rate must be positive");
        }
    }

    public boolean isMax() {
        return Double.isInfinite(perSecond);
    }

    public static Rate parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("max")) {
            return MAX;
        }
        double divisor = 60;
        String number = t;
        int slash = t.indexOf('/');
        if (slash >= 0) {
            number = t.substring(0, slash).trim();
            divisor = switch (t.substring(slash + 1).trim()) {
                case "s", "sec", "second" -> 1;
                case "min", "m", "minute" -> 60;
                case "h", "hour" -> 3600;
                default -> throw invalid(text);
            };
        }
        try {
            double value = Double.parseDouble(number);
            if (!(value > 0) || Double.isInfinite(value)) {
                throw invalid(text);
            }
            return new Rate(value / divisor);
        } catch (NumberFormatException e) {
            throw invalid(text);
        }
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException("invalid rate \"" + text + "\"; expected N/min, N/s or max, N > 0");
    }

    @Override
    public String toString() {
        // Not "%.3f/s": it wrote 1/h as "0.000/s", which reads as zero and does not parse back (and 100/h lost
        // digits). The shortest decimal that reads back as the same double does.
        return isMax() ? "max" : perSecond * 60 == Math.rint(perSecond * 60)
                ? String.format(Locale.ROOT, "%d/min", (long) (perSecond * 60))
                : java.math.BigDecimal.valueOf(perSecond).stripTrailingZeros().toPlainString() + "/s";
    }
}
