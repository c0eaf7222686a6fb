package dev.cdc.common.xml;

import java.util.Arrays;
import java.util.List;

/**
 * Internal: one alternative of a field, compiled: the child elements leading down from the repeating element, then
 * an attribute of the last one, or its text when {@code attribute} is null.
 */
record FieldSource(List<String> elements, String attribute) {

    FieldSource {
        elements = List.copyOf(elements);
    }

    /** {@code .}, {@code @attr}, {@code child}, {@code child/grandchild}, {@code child/@attr}. */
    static FieldSource parse(String text) {
        if (".".equals(text)) {
            return new FieldSource(List.of(), null);
        }
        if (text == null || text.isEmpty() || text.startsWith("/")) {
            throw invalid(text);
        }
        List<String> steps = Arrays.asList(text.split("/", -1));
        String last = steps.get(steps.size() - 1);
        List<String> elements = last.startsWith("@") ? steps.subList(0, steps.size() - 1) : steps;
        try {
            elements.forEach(name -> RepeatingPath.requireName(text, name));
            return new FieldSource(elements, last.startsWith("@") ? RepeatingPath.requireName(text, last.substring(1)) : null);
        } catch (IllegalArgumentException e) {
            throw invalid(text);
        }
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException("\"" + text + "\" is not a field source: expected @attribute, child,"
                + " child/grandchild, child/@attribute or . (relative to the repeating element)");
    }
}
