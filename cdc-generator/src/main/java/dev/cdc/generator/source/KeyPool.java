package dev.cdc.generator.source;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * A set of row keys with constant-time add, remove and uniform random pick. Keys are dense from
 * {@link SourceTable}'s first key, so positions live in a primitive array indexed by key, not a map of boxed longs
 * (this runs several times per generated event). Internal to the simulator.
 */
final class KeyPool {

    private final long base;
    private long[] keys = new long[1024];
    private int size;
    /** Position + 1 of each key in {@link #keys}, indexed by key - base; 0 means absent. */
    private int[] positions = new int[1024];

    KeyPool(long base) {
        this.base = base;
    }

    void add(long key) {
        int slot = slot(key);
        if (slot >= positions.length) {
            positions = Arrays.copyOf(positions, Math.max(slot + 1, positions.length * 2));
        }
        if (positions[slot] != 0) {
            return;
        }
        if (size == keys.length) {
            keys = Arrays.copyOf(keys, size * 2);
        }
        keys[size++] = key;
        positions[slot] = size;
    }

    void remove(long key) {
        int slot = slot(key);
        if (slot >= positions.length || positions[slot] == 0) {
            return;
        }
        int at = positions[slot] - 1;
        positions[slot] = 0;
        long last = keys[--size];
        if (at < size) {
            keys[at] = last;
            positions[slot(last)] = at + 1;
        }
    }

    boolean contains(long key) {
        int slot = slot(key);
        return slot < positions.length && positions[slot] != 0;
    }

    int size() {
        return size;
    }

    /** A uniformly chosen key, or -1 when empty. */
    long pick(RandomGenerator random) {
        return size == 0 ? -1 : keys[random.nextInt(size)];
    }

    /** A key among the most recently added {@code window}, or -1 when empty. */
    long pickRecent(RandomGenerator random, int window) {
        if (size == 0) {
            return -1;
        }
        // recently inserted keys sit at the end until swap-removals move them; close enough for "recent"
        int from = Math.max(0, size - window);
        return keys[from + random.nextInt(size - from)];
    }

    private int slot(long key) {
        long slot = key - base;
        if (slot < 0 || slot > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("key " + key + " outside this pool's range");
        }
        return (int) slot;
    }
}
