package dev.cdc.common.xml;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Internal: the compiled path of a rule's repeating element ({@link XmlExtraction} documents the syntax). Matched
 * against the names of the open elements, root first, each time an element starts.
 */
record RepeatingPath(List<Step> steps) {

    /** A local element name: XML's name characters without the namespace prefix. */
    private static final Pattern NAME = Pattern.compile("[\\p{L}_][\\p{L}\\p{N}_.\\-]*");

    /** One element name; {@code anyDepth} when written after {@code //}. */
    record Step(String name, boolean anyDepth) {
    }

    RepeatingPath {
        steps = List.copyOf(steps);
    }

    /** @throws IllegalArgumentException naming what is wrong and the accepted form */
    static RepeatingPath parse(String text) {
        if (text == null || !text.startsWith("/")) {
            throw invalid(text, "it must start with / or //");
        }
        List<Step> steps = new ArrayList<>();
        for (int at = 0; at < text.length(); ) {
            boolean anyDepth = text.startsWith("//", at);
            at += anyDepth ? 2 : 1;
            int end = text.indexOf('/', at);
            end = end < 0 ? text.length() : end;
            steps.add(new Step(requireName(text, text.substring(at, end)), anyDepth));
            at = end;
        }
        return new RepeatingPath(steps);
    }

    static String requireName(String path, String name) {
        if (name.isEmpty()) {
            throw invalid(path, "it has an empty step");
        }
        if (!NAME.matcher(name).matches()) {
            throw invalid(path, "\"" + name + "\" is not an element name (no prefixes, predicates or wildcards)");
        }
        return name;
    }

    private static IllegalArgumentException invalid(String path, String why) {
        return new IllegalArgumentException("path \"" + path + "\" is not supported: " + why
                + "; expected element names after / (child) or // (any depth), e.g. /shipping_info//item");
    }

    /** Whether the element just started, {@code open[depth - 1]}, is a repeating element. */
    boolean matches(String[] open, int depth) {
        // cheap test first: nearly every element that starts is not the repeating one
        return open[depth - 1].equals(steps.get(steps.size() - 1).name()) && matches(0, open, 0, depth);
    }

    private boolean matches(int step, String[] open, int from, int depth) {
        if (step == steps.size()) {
            return from == depth;
        }
        Step s = steps.get(step);
        int last = s.anyDepth() ? depth - 1 : Math.min(from, depth - 1);
        for (int at = from; at <= last; at++) {
            if (open[at].equals(s.name()) && matches(step + 1, open, at + 1, depth)) {
                return true;
            }
        }
        return false;
    }
}
