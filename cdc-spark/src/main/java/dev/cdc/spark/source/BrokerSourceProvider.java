package dev.cdc.spark.source;

import java.util.Map;
import org.apache.spark.sql.connector.catalog.Table;
import org.apache.spark.sql.connector.catalog.TableProvider;
import org.apache.spark.sql.connector.expressions.Transform;
import org.apache.spark.sql.sources.DataSourceRegister;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;

/** {@code spark.readStream.format("cdc-broker")}: a durable queue of the {@code MessageBus} as a stream. */
public final class BrokerSourceProvider implements TableProvider, DataSourceRegister {

    public static final String NAME = "cdc-broker";

    @Override
    public String shortName() {
        return NAME;
    }

    @Override
    public StructType inferSchema(CaseInsensitiveStringMap options) {
        return BrokerTable.SCHEMA;
    }

    @Override
    public Table getTable(StructType schema, Transform[] partitioning, Map<String, String> properties) {
        return new BrokerTable(BrokerSourceOptions.from(properties));
    }
}
