package dev.cdc.common.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One setting, declared once: its key, description, default, and how its text becomes a typed value (the parser
 * throws {@link IllegalArgumentException} with a message naming the accepted values). A secret's value is never
 * shown in messages or logs.
 *
 * @param defaultValue the default as text, or null when the setting is required
 */
public record Setting<T>(String key, String description, String defaultValue, boolean secret,
                         Function<String, T> parser) {

    public Setting {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(parser, "parser of " + key);
    }

    public static Setting<String> string(String key, String defaultValue, String description) {
        return new Setting<>(key, description, defaultValue, false, Function.identity());
    }

    /** A password or token: required to be set only where it is used, never printed. */
    public static Setting<String> secret(String key, String description) {
        return new Setting<>(key, description, "", true, Function.identity());
    }

    public static Setting<Integer> integer(String key, int defaultValue, int min, int max, String description) {
        return new Setting<>(key, description, Integer.toString(defaultValue), false, text -> {
            try {
                int value = Integer.parseInt(text.trim());
                if (value >= min && value <= max) {
                    return value;
                }
            } catch (NumberFormatException e) {
                // reported below with the accepted range
            }
            throw new IllegalArgumentException("expected an integer in [" + min + ", " + max + "]");
        });
    }

    public static Setting<Boolean> bool(String key, boolean defaultValue, String description) {
        return new Setting<>(key, description, Boolean.toString(defaultValue), false, text -> switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw new IllegalArgumentException("expected true or false");
        });
    }

    /** Durations as {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h} or ISO-8601. */
    public static Setting<Duration> duration(String key, String defaultValue, String description) {
        return new Setting<>(key, description, defaultValue, false, Setting::parseDuration);
    }

    /** A size in bytes as {@code 64mb}, {@code 512kb}, {@code 1gb} (binary units) or a plain number of bytes; at least 1. */
    public static Setting<Long> byteSize(String key, String defaultValue, String description) {
        return new Setting<>(key, description, defaultValue, false, Setting::parseByteSize);
    }

    public static long parseByteSize(String text) {
        String v = text.trim().toLowerCase(Locale.ROOT);
        long unit = 1;
        for (String[] u : new String[][] {{"kb", "10"}, {"mb", "20"}, {"gb", "30"}, {"b", "0"}}) {
            if (v.endsWith(u[0])) {
                unit = 1L << Integer.parseInt(u[1]);
                v = v.substring(0, v.length() - u[0].length()).trim();
                break;
            }
        }
        try {
            long n = Long.parseLong(v);
            if (n >= 1 && n <= Long.MAX_VALUE / unit) {
                return n * unit;
            }
        } catch (NumberFormatException e) {
            // reported below with the accepted forms
        }
        throw new IllegalArgumentException("expected a size such as 512kb, 64mb, 1gb or a number of bytes (at least 1)");
    }

    public static <E extends Enum<E>> Setting<E> choice(String key, Class<E> type, E defaultValue, String description) {
        String accepted = Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT).replace('_', '-'))
                .collect(Collectors.joining(", "));
        return new Setting<>(key, description, defaultValue.name().toLowerCase(Locale.ROOT).replace('_', '-'), false, text -> {
            for (E e : type.getEnumConstants()) {
                if (e.name().equalsIgnoreCase(text.trim().replace('-', '_'))) {
                    return e;
                }
            }
            throw new IllegalArgumentException("expected one of " + accepted);
        });
    }

    /** A comma-separated list of non-empty items. */
    public static Setting<List<String>> list(String key, String defaultValue, String description) {
        return new Setting<>(key, description, defaultValue, false, text -> {
            List<String> items = Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
            if (items.isEmpty()) {
                throw new IllegalArgumentException("expected a comma-separated list");
            }
            return items;
        });
    }

    public static Duration parseDuration(String text) {
        String v = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (v.startsWith("p")) {
                return Duration.parse(v.toUpperCase(Locale.ROOT));
            }
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            }
            if (!v.isEmpty()) {
                long n = Long.parseLong(v.substring(0, v.length() - 1));
                switch (v.charAt(v.length() - 1)) {
                    case 's': return Duration.ofSeconds(n);
                    case 'm': return Duration.ofMinutes(n);
                    case 'h': return Duration.ofHours(n);
                    default: break;
                }
            }
        } catch (NumberFormatException | DateTimeParseException e) {
            // reported below with the accepted forms
        }
        throw new IllegalArgumentException("expected a duration such as 500ms, 30s, 5m, 1h or PT5M");
    }

    /** The value as it may be shown: secrets are masked. */
    public String shown(String value) {
        return secret ? (value == null || value.isEmpty() ? "(not set)" : "(set)") : "\"" + value + "\"";
    }
}
