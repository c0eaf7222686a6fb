package dev.cdc.bench.broker;

import java.nio.charset.StandardCharsets;

/**
 * What both clients send: one body of the configured size, row keys cycling through {@value #KEYS}, and an SCN
 * counting up over the whole run, so no two messages of a run carry the same SCN whichever client sent them.
 * Used from the sending thread only.
 */
final class BenchMessages {

    /** Distinct row keys the messages cycle through. */
    static final int KEYS = 5_000;

    private final String[] keys = new String[KEYS];
    private final byte[] body;
    private long nextScn = 1_000_000_000L;

    BenchMessages(int messageBytes) {
        for (int k = 0; k < KEYS; k++) {
            keys[k] = "{\"ORDER_ID\":" + (100_000 + k) + "}";
        }
        this.body = body(messageBytes);
    }

    /** The SCN of the next message. */
    long nextScn() {
        return nextScn++;
    }

    /** The row key of the message with this SCN. */
    String key(long scn) {
        return keys[(int) (scn % KEYS)];
    }

    /** The body every message carries (shared: do not change it). */
    byte[] body() {
        return body;
    }

    /** A JSON-looking ASCII body of exactly {@code size} bytes. */
    private static byte[] body(int size) {
        StringBuilder b = new StringBuilder("{\"after\":{\"ORDER_ID\":100001,\"NOTE\":\"");
        while (b.length() < size) {
            b.append((char) ('a' + b.length() % 26));
        }
        byte[] bytes = b.substring(0, size).getBytes(StandardCharsets.US_ASCII);
        if (size >= 3) {
            bytes[size - 3] = '"';
            bytes[size - 2] = '}';
            bytes[size - 1] = '}';
        }
        return bytes;
    }
}
