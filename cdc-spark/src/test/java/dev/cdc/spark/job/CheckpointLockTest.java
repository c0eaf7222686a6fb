package dev.cdc.spark.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointLockTest {

    @TempDir
    Path dir;

    @Test
    void aSecondConsumerOnOneCheckpointIsRefusedUntilTheFirstLetsGo() throws Exception {
        Path checkpoint = dir.resolve("checkpoint");
        try (CheckpointLock first = CheckpointLock.acquire(checkpoint.toString())) {
            assertThat(first).isNotNull();
            assertThatThrownBy(() -> CheckpointLock.acquire(checkpoint.toString()))
                    .isInstanceOf(CheckpointLock.InUseException.class)
                    .hasMessageContaining("is in use by another consumer (pid " + ProcessHandle.current().pid() + ")")
                    .hasMessageContaining("spark.checkpoint-dir");
        }
        try (CheckpointLock again = CheckpointLock.acquire(checkpoint.toString())) {
            assertThat(again).as("free once the first consumer ended").isNotNull();
        }
    }

    @Test
    void aCheckpointOnAClusterFileSystemIsLeftToTheCluster() throws Exception {
        assertThat(CheckpointLock.acquire("hdfs:///cdc/checkpoint")).isNull();
    }
}
