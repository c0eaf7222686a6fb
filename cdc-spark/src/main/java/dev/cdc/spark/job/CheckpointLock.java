package dev.cdc.spark.job;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One consumer per checkpoint: two drivers on one checkpoint number the same batches, and Spark fails one of them
 * on every batch ("concurrent update to the log"), so a second start is refused at once with a clear reason. An OS
 * file lock, released when the JVM ends however it ends. Only for a checkpoint on a local path: on HDFS or S3 the
 * cluster's own job management keeps one driver per query.
 */
public final class CheckpointLock implements AutoCloseable {

    /** The checkpoint is in use by a running consumer. */
    public static final class InUseException extends IllegalStateException {
        InUseException(Path dir, String holder) {
            super("the checkpoint " + dir + " is in use by another consumer" + (holder.isBlank() ? "" : " (" + holder.trim() + ")")
                    + "; give each consumer its own spark.checkpoint-dir (consumers on one queue share its messages)");
        }
    }

    private final FileChannel channel;
    private final FileLock lock;

    private CheckpointLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Locks {@code dir} (created if missing) for this JVM, or returns null for a checkpoint that is not a local path. */
    public static CheckpointLock acquire(String checkpoint) throws IOException {
        if (checkpoint.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*") && !checkpoint.startsWith("file://")) {
            return null;
        }
        Path dir = Path.of(checkpoint.replaceFirst("^file://", ""));
        Files.createDirectories(dir);
        Path file = dir.resolve(".consumer.lock");
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock(); // null: another process holds it
        } catch (java.nio.channels.OverlappingFileLockException e) {
            lock = null; // this JVM holds it already
        }
        if (lock == null) {
            String holder = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
            channel.close();
            throw new InUseException(dir, holder);
        }
        channel.truncate(0);
        channel.write(java.nio.ByteBuffer.wrap(("pid " + ProcessHandle.current().pid()).getBytes(StandardCharsets.UTF_8)));
        return new CheckpointLock(channel, lock);
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
