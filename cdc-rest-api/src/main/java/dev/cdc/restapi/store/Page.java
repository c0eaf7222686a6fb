package dev.cdc.restapi.store;

import java.util.List;
import java.util.Objects;

/**
 * One page of records in the order a listing defines.
 *
 * @param items the records as received, each a JSON object's text
 * @param next  the cursor to pass as {@code after} for the following page, or null when this page reached the end
 */
public record Page(List<String> items, String next) {

    public Page {
        items = List.copyOf(Objects.requireNonNull(items, "items"));
    }
}
