package dev.cdc.restapi.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReceivedStoreTest {

    @TempDir
    Path dir;

    @Test
    void theDatabaseIsInWalModeWithTheChosenSyncAndCarriesItsSchemaVersion() throws Exception {
        try (ReceivedStore store = ReceivedStore.open(dir, Durability.FULL)) {
            assertThat(store.file()).isEqualTo(dir.resolve("received.db").toAbsolutePath());
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("received.db"));
             Statement s = c.createStatement()) {
            assertThat(single(s, "PRAGMA journal_mode")).isEqualTo("wal");
            assertThat(single(s, "PRAGMA user_version")).isEqualTo(Integer.toString(ReceivedStore.SCHEMA_VERSION));
        }
    }

    @Test
    void aDatabaseOfANewerSchemaIsRefusedUntouched() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("received.db"));
             Statement s = c.createStatement()) {
            s.executeUpdate("PRAGMA user_version = 99");
        }
        assertThatThrownBy(() -> ReceivedStore.open(dir, Durability.NORMAL))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("schema version 99");
    }

    @Test
    void aClosedStoreIsUnavailableNotBroken() {
        ReceivedStore store = ReceivedStore.open(dir, Durability.NORMAL);
        store.close();
        assertThat(store.problem()).isPresent();
        assertThatThrownBy(() -> store.writeChanges(List.of(new ChangeRecord("a", "T", "{}"))))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("could not commit a batch of 1 changes");
    }

    private static String single(Statement s, String sql) throws Exception {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
