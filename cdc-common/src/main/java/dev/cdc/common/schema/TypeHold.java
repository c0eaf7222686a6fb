package dev.cdc.common.schema;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * How a consumer whose changes may arrive out of publish order (several queue readers) keeps {@link ColumnTypes}
 * as if they had arrived in it. A change that {@link ColumnTypes#learnsFromText learns a column's type from text}
 * is held with every later change of its table, until the consumer knows that everything published before it has
 * arrived (Flink: the watermark of the publish times passed it). Then {@link #release} decodes the held changes in
 * {@link #publishOrder}, so a typed row published earlier comes first and the text is coerced to its type. Everything
 * else is decoded as it arrives: a table is held only at a text column's first sighting.
 */
public final class TypeHold {

    private TypeHold() {
    }

    /**
     * The held changes by publish time, except that one row's changes keep the order they arrived in (one reader
     * delivers a row's changes in the order they were published, and two publishers' clocks may disagree). Equal
     * times keep their arrival order.
     *
     * @param held in arrival order
     * @param row the row a change belongs to ({@code null}: one without a row, such as a truncate, kept in arrival order
     *            with the others without one)
     */
    public static <T> List<T> publishOrder(List<T> held, Function<? super T, String> row,
                                           ToLongFunction<? super T> publishedAt) {
        Map<String, ArrayDeque<Integer>> rows = new LinkedHashMap<>();
        for (int i = 0; i < held.size(); i++) {
            String key = row.apply(held.get(i));
            rows.computeIfAbsent(key == null ? "" : "row:" + key, k -> new ArrayDeque<>()).add(i);
        }
        // a merge of the rows' sequences: the next change is the earliest-published head of a row
        PriorityQueue<ArrayDeque<Integer>> heads = new PriorityQueue<>(Comparator
                .<ArrayDeque<Integer>>comparingLong(q -> publishedAt.applyAsLong(held.get(q.peek())))
                .thenComparingInt(ArrayDeque::peek));
        heads.addAll(rows.values());
        List<T> ordered = new ArrayList<>(held.size());
        while (!heads.isEmpty()) {
            ArrayDeque<Integer> next = heads.poll();
            ordered.add(held.get(next.poll()));
            if (!next.isEmpty()) {
                heads.add(next);
            }
        }
        return ordered;
    }

    /**
     * Decodes the held changes that may go now that everything published up to {@code watermark} has arrived, in
     * {@link #publishOrder}, and returns those that stay held: from the first one that learns a type from text and
     * was published after the watermark (what was published before it may still be on its way) on, in order.
     *
     * @param learnsFromText asked just before a change would be decoded, as the types are then
     */
    public static <T> List<T> release(List<T> held, long watermark, Function<? super T, String> row,
                                      ToLongFunction<? super T> publishedAt, Predicate<? super T> learnsFromText,
                                      Consumer<? super T> decode) {
        List<T> ordered = publishOrder(held, row, publishedAt);
        for (int i = 0; i < ordered.size(); i++) {
            T change = ordered.get(i);
            if (publishedAt.applyAsLong(change) > watermark && learnsFromText.test(change)) {
                return List.copyOf(ordered.subList(i, ordered.size()));
            }
            decode.accept(change);
        }
        return List.of();
    }
}
