package dev.cdc.cli.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdc.generator.GeneratorConfig;
import dev.cdc.generator.OperationMix;
import dev.cdc.generator.schema.SalesSchema;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PipelineBenchmarkWorkloadTest {

    @Test
    void aWorkloadChangesOnlyTheTablesItNamesAndSaysSoInTheReport() {
        PipelineBenchmark.Workload noFanOut = new PipelineBenchmark.Workload(Map.of(SalesSchema.AUDIT_LOG, 10),
                Map.of(SalesSchema.PRODUCTS, new OperationMix(100, 0, 0), SalesSchema.CUSTOMERS, new OperationMix(100, 0, 0)));

        GeneratorConfig config = noFanOut.applyTo(GeneratorConfig.builder()).events(10L).build();

        assertThat(config.mixes()).containsEntry(SalesSchema.PRODUCTS, new OperationMix(100, 0, 0))
                .containsEntry(SalesSchema.ORDERS, GeneratorConfig.DEFAULT_MIXES.get(SalesSchema.ORDERS));
        assertThat(config.shares()).containsEntry(SalesSchema.AUDIT_LOG, 10)
                .containsEntry(SalesSchema.ORDERS, GeneratorConfig.DEFAULT_SHARES.get(SalesSchema.ORDERS));
        assertThat(noFanOut.json()).containsEntry("shares", Map.of("SALES.AUDIT_LOG", 10))
                .containsEntry("op_mix", Map.of("SALES.CUSTOMERS", "100/0/0", "SALES.PRODUCTS", "100/0/0"));
    }

    @Test
    void theDefaultWorkloadLeavesTheGeneratorAsItIs() {
        GeneratorConfig config = PipelineBenchmark.Workload.DEFAULT.applyTo(GeneratorConfig.builder()).events(10L).build();

        assertThat(config.mixes()).isEqualTo(GeneratorConfig.DEFAULT_MIXES);
        assertThat(config.shares()).isEqualTo(GeneratorConfig.DEFAULT_SHARES);
        assertThat(PipelineBenchmark.Workload.DEFAULT.json()).containsEntry("shares", "default").containsEntry("op_mix", "default");
    }
}
