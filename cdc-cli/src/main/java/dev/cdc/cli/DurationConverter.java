package dev.cdc.cli;

import dev.cdc.common.config.Setting;
import java.time.Duration;
import picocli.CommandLine;

/** Reads durations on the command line exactly as the configuration does: 90s, 5m, 1h, 250ms or PT5M. */
final class DurationConverter implements CommandLine.ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
        try {
            return Setting.parseDuration(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException("invalid duration '" + value + "'; " + e.getMessage());
        }
    }
}
