package dev.cdc.generator.source;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * A read-only map view of a stored row's values, by column name, over every column the table has ever had (a
 * column added after the row was written reads null). Cheap to create: no copying.
 */
final class RowView extends AbstractMap<String, Object> {

    private final List<String> names;
    private final Map<String, Integer> index;
    private final Object[] values;

    RowView(List<String> names, Map<String, Integer> index, Object[] values) {
        this.names = names;
        this.index = index;
        this.values = values;
    }

    @Override
    public Object get(Object key) {
        Integer i = index.get(key);
        return i == null || i >= values.length ? null : values[i];
    }

    @Override
    public boolean containsKey(Object key) {
        return index.containsKey(key);
    }

    @Override
    public int size() {
        return names.size();
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<String, Object>> iterator() {
                return new Iterator<>() {
                    private int i;

                    @Override
                    public boolean hasNext() {
                        return i < names.size();
                    }

                    @Override
                    public Entry<String, Object> next() {
                        if (!hasNext()) {
                            throw new NoSuchElementException();
                        }
                        int at = i++;
                        return new SimpleImmutableEntry<>(names.get(at), at < values.length ? values[at] : null);
                    }
                };
            }

            @Override
            public int size() {
                return names.size();
            }
        };
    }
}
