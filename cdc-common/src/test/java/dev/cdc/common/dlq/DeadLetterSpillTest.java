package dev.cdc.common.dlq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cdc.common.dlq.DeadLetter.ErrorType;
import dev.cdc.common.event.BrokerMessage;
import dev.cdc.common.event.MessageProperties;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeadLetterSpillTest {

    @TempDir
    Path dir;

    private static DeadLetter letter(int i) {
        return new DeadLetter(new BrokerMessage("cdc/oracle/SALES/ORDERS/insert",
                Map.of(MessageProperties.KEY, "{\"ORDER_ID\":" + i + "}", MessageProperties.SCN, "4" + i),
                ("{bad " + i + " é").getBytes(StandardCharsets.UTF_8)), ErrorType.UNDELIVERABLE, "refused " + i,
                "flink-rest", Instant.parse("2026-12-01T10:00:00Z"));
    }

    @Test
    void keepsEveryDeadLetterWithItsReasonAndOriginalUnchanged() throws Exception {
        DeadLetterSpill spill = new DeadLetterSpill(dir.resolve("spill"), "flink-rest-0");
        spill.append(List.of(letter(1), letter(2)));
        spill.append(List.of(letter(3)));

        assertThat(DeadLetterSpill.files(dir.resolve("spill"))).containsExactly(spill.file());
        assertThat(DeadLetterSpill.read(spill.file())).containsExactly(letter(1), letter(2), letter(3));
    }

    @Test
    void drainEmptiesTheFileOnlyAfterTheRecorderReturned() throws Exception {
        DeadLetterSpill spill = new DeadLetterSpill(dir, "b");
        spill.append(List.of(letter(1), letter(2)));

        assertThatThrownBy(() -> DeadLetterSpill.drain(spill.file(), letters -> {
            throw new IllegalStateException("database down");
        })).hasMessage("database down");
        assertThat(DeadLetterSpill.read(spill.file())).hasSize(2);

        List<DeadLetter> recorded = new ArrayList<>();
        assertThat(DeadLetterSpill.drain(spill.file(), recorded::addAll)).isEqualTo(2);
        assertThat(recorded).containsExactly(letter(1), letter(2));
        assertThat(DeadLetterSpill.read(spill.file())).isEmpty();

        spill.append(List.of(letter(3)));
        assertThat(DeadLetterSpill.read(spill.file())).containsExactly(letter(3));
    }

    @Test
    void aLineCutByACrashIsIgnoredAndAnUnknownVersionIsRefused() throws Exception {
        DeadLetterSpill spill = new DeadLetterSpill(dir, "c");
        spill.append(List.of(letter(1)));
        Files.writeString(spill.file(), "{\"v\":1,\"topic\":\"cdc/or", StandardOpenOption.APPEND);
        assertThat(DeadLetterSpill.read(spill.file())).containsExactly(letter(1));

        Files.writeString(dir.resolve("d.jsonl"), "{\"v\":9}\n");
        assertThatThrownBy(() -> DeadLetterSpill.read(dir.resolve("d.jsonl"))).hasMessageContaining("version 9");
    }

    @Test
    void aMessageTheBrokerMovedAfterTooManyDeliveriesIsADeadLetterOfItself() {
        BrokerMessage moved = new BrokerMessage("cdc/oracle/SALES/ORDERS/update", Map.of(MessageProperties.KEY, "7"),
                "{}".getBytes(StandardCharsets.UTF_8));
        DeadLetter d = DeadLetter.fromBrokerMessage(moved, "cdc.dead", Instant.EPOCH);
        assertThat(d.original()).isEqualTo(moved);
        assertThat(d.errorType()).isEqualTo(ErrorType.DELIVERY_ATTEMPTS_EXCEEDED);
        assertThat(d.errorMessage()).contains("cdc.dead");

        assertThat(DeadLetter.fromBrokerMessage(letter(5).toBrokerMessage(), "q", Instant.EPOCH)).isEqualTo(letter(5));

        // named by its queue, with a body that names no table: kept as it came (replay refuses a queue name)
        BrokerMessage unnamed = new BrokerMessage("cdc.dead", Map.of(), "{}".getBytes(StandardCharsets.UTF_8));
        assertThat(DeadLetter.fromBrokerMessage(unnamed, "cdc.dead", Instant.EPOCH).original()).isEqualTo(unnamed);
    }
}
