package dev.cdc.broker.provisioning;

import java.util.List;

/**
 * A topic subscription with Solace PubSub+ semantics: levels separated by {@code /}; {@code *} as a whole level
 * matches exactly one level; {@code >} as the last level matches one or more levels (never zero). Anything else is
 * rejected when parsed, so a subscription means the same on Solace and on the embedded broker.
 */
public record TopicSubscription(String pattern, List<String> levels) {

    public TopicSubscription {
        levels = List.copyOf(levels);
    }

    public static TopicSubscription parse(String pattern) {
        if (pattern == null || pattern.isBlank()) {
            throw invalid(pattern, "empty");
        }
        if (pattern.length() > 250) {
            throw invalid(pattern, "longer than 250 characters (Solace's limit)");
        }
        List<String> levels = List.of(pattern.split("/", -1));
        for (int i = 0; i < levels.size(); i++) {
            String level = levels.get(i);
            if (level.isEmpty()) {
                throw invalid(pattern, "empty level " + (i + 1));
            }
            if (level.equals(">") && i != levels.size() - 1) {
                throw invalid(pattern, "'>' is only allowed as the last level");
            }
            if (!level.equals("*") && !level.equals(">") && (level.contains("*") || level.contains(">"))) {
                throw invalid(pattern, "'*' and '>' must stand alone as a whole level, in level " + (i + 1));
            }
            if (level.chars().anyMatch(Character::isWhitespace)) {
                throw invalid(pattern, "whitespace in level " + (i + 1));
            }
        }
        return new TopicSubscription(pattern, levels);
    }

    private static IllegalArgumentException invalid(String pattern, String why) {
        return new IllegalArgumentException("invalid topic subscription \"" + pattern + "\": " + why
                + "; expected levels separated by '/', '*' for one level, '>' as the last level for one or more");
    }

    /** Whether a published topic (no wildcards) matches, by Solace's rules. */
    public boolean matches(String topic) {
        String[] parts = topic.split("/", -1);
        for (int i = 0; i < levels.size(); i++) {
            String level = levels.get(i);
            if (level.equals(">")) {
                return parts.length > i;
            }
            if (i >= parts.length || !(level.equals("*") || level.equals(parts[i]))) {
                return false;
            }
        }
        return parts.length == levels.size();
    }

    @Override
    public String toString() {
        return pattern;
    }
}
