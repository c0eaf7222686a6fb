package dev.cdc.ods.schema;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An ODS table as the catalog holds it: key columns first, then the data columns (metadata columns not listed). */
public record OdsTable(SqlIdentifier name, List<SqlIdentifier> key, Map<SqlIdentifier, OdsColumn> columns) {

    public OdsTable {
        key = List.copyOf(key);
        columns = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(columns));
    }

    public OdsColumn column(SqlIdentifier name) {
        return columns.get(name);
    }
}
