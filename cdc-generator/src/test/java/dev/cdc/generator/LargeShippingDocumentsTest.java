package dev.cdc.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cdc.common.event.ChangeEvent;
import dev.cdc.generator.schema.SalesSchema;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code shippingItems}: every generated SHIPPING_INFO document lists that many items (scenario F8's 1 MB XML). */
class LargeShippingDocumentsTest {

    @TempDir
    Path dir;

    @Test
    void tenThousandItemsMakeDocumentsOfAboutAMegabyteThatTheTruthKeeps() throws IOException {
        GeneratedRun run = GeneratedRun.generate(GeneratorConfig.builder().seed(7).rate(Rate.MAX).events(300L)
                .snapshotOrders(2).shippingItems(10_000).build(), dir);
        List<String> documents = new ArrayList<>();
        long orderId = -1;
        for (GeneratedRun.Delivered d : run.delivered()) {
            ChangeEvent e = d.event();
            if (e != null && e.table().equals(SalesSchema.ORDERS) && e.after() != null
                    && e.after().get("SHIPPING_INFO") instanceof String xml) {
                documents.add(xml);
                orderId = ((Number) e.after().get("ORDER_ID")).longValue();
            }
        }
        assertThat(documents).isNotEmpty().allSatisfy(xml -> {
            assertThat(xml.getBytes(StandardCharsets.UTF_8).length).isBetween(500_000, 3_000_000);
            assertThat(XmlRows.shippingItems(0, xml)).hasSize(10_000);
        });
        assertThat(run.truth().manifest().path("producer").path("shipping_items").asInt()).isEqualTo(10_000);
        assertThat(orderId).isPositive();
    }

    @Test
    void zeroKeepsTheUsualOneToFourItemsAndTheBoundIsChecked() {
        assertThat(GeneratorConfig.builder().events(1L).build().shippingItems()).isZero();
        assertThatThrownBy(() -> GeneratorConfig.builder().events(1L).shippingItems(-1).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("shipping items");
    }
}
