package dev.cdc.generator.output;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * An output stream that fills 1 MB chunks and lets a second thread write them, so encoding and the write system
 * calls use both cores. At most {@value #IN_FLIGHT} chunks wait (bounded memory; the producer blocks, nothing is
 * dropped). A write failure surfaces on the next call of the producer, never lost in the background thread.
 */
final class BackgroundFileWriter extends OutputStream {

    private static final int CHUNK = 1 << 20;
    private static final int IN_FLIGHT = 4;
    private static final byte[] END = new byte[0];

    private final OutputStream target;
    private final BlockingQueue<byte[]> full = new ArrayBlockingQueue<>(IN_FLIGHT);
    /** Written chunks come back for reuse: a fresh 1 MB array per chunk would cost page faults and GC. */
    private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(IN_FLIGHT + 1);
    private final Thread writer;
    private volatile IOException failure;
    private byte[] chunk = new byte[CHUNK];
    private int used;
    private boolean closed;

    BackgroundFileWriter(OutputStream target, String name) {
        this.target = target;
        this.writer = new Thread(this::drain, name);
        writer.setDaemon(true);
        writer.start();
    }

    private void drain() {
        try {
            for (byte[] next = full.take(); next != END; next = full.take()) {
                target.write(next, 0, next.length);
                if (next.length == CHUNK) {
                    free.offer(next);
                }
            }
            target.close();
        } catch (IOException e) {
            failure = e;
            full.clear();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void write(int b) throws IOException {
        if (used == chunk.length) {
            handOff();
        }
        chunk[used++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            if (used == chunk.length) {
                handOff();
            }
            int n = Math.min(len, chunk.length - used);
            System.arraycopy(b, off, chunk, used, n);
            used += n;
            off += n;
            len -= n;
        }
    }

    private void handOff() throws IOException {
        checkFailure();
        put(used == chunk.length ? chunk : java.util.Arrays.copyOf(chunk, used));
        byte[] reused = free.poll();
        chunk = reused != null ? reused : new byte[CHUNK];
        used = 0;
    }

    private void put(byte[] bytes) throws IOException {
        try {
            while (!full.offer(bytes, 100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                checkFailure();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the file writer");
        }
    }

    private void checkFailure() throws IOException {
        if (failure != null) {
            throw new IOException("writing the output file failed: " + failure.getMessage(), failure);
        }
    }

    /** Chunks are handed off whole; flush only matters at close. */
    @Override
    public void flush() throws IOException {
        checkFailure();
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (used > 0) {
            handOff();
        }
        put(END);
        try {
            writer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while closing the output file");
        }
        checkFailure();
    }
}
