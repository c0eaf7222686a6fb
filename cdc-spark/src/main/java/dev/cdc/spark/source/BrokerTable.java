package dev.cdc.spark.source;

import java.util.Set;
import org.apache.spark.sql.connector.catalog.SupportsRead;
import org.apache.spark.sql.connector.catalog.TableCapability;
import org.apache.spark.sql.connector.read.Scan;
import org.apache.spark.sql.connector.read.ScanBuilder;
import org.apache.spark.sql.connector.read.streaming.MicroBatchStream;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;

/** The queue as a streaming table: one row per message. */
final class BrokerTable implements SupportsRead {

    static final StructType SCHEMA = new StructType()
            .add("sequence", DataTypes.LongType, false)
            .add("topic", DataTypes.StringType, false)
            .add("key", DataTypes.StringType, true)
            .add("scn", DataTypes.StringType, true)
            .add("properties", DataTypes.StringType, false)
            .add("body", DataTypes.BinaryType, false)
            .add("received_at", DataTypes.TimestampType, false);

    private final BrokerSourceOptions options;

    BrokerTable(BrokerSourceOptions options) {
        this.options = options;
    }

    @Override
    public String name() {
        return "cdc-broker:" + options.queue();
    }

    @Override
    @SuppressWarnings("deprecation") // schema() is what Spark 4 still calls for DataSource V2 tables
    public StructType schema() {
        return SCHEMA;
    }

    @Override
    public Set<TableCapability> capabilities() {
        return Set.of(TableCapability.MICRO_BATCH_READ);
    }

    @Override
    public ScanBuilder newScanBuilder(CaseInsensitiveStringMap ignored) {
        return () -> new Scan() {
            @Override
            public StructType readSchema() {
                return SCHEMA;
            }

            @Override
            public MicroBatchStream toMicroBatchStream(String checkpointLocation) {
                int partitions = org.apache.spark.sql.SparkSession.active().sparkContext().defaultParallelism();
                return new BrokerMicroBatchStream(options, partitions);
            }
        };
    }
}
