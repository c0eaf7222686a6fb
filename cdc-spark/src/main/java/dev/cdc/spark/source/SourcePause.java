package dev.cdc.spark.source;

/**
 * Lets a stopping driver finish the batch under way without starting another: while paused, the source plans
 * nothing new, so the query falls idle between batches and stops cleanly even under a backlog. One query per driver
 * JVM reads the queue, so the switch is the JVM's.
 */
public final class SourcePause {

    private static volatile boolean paused;

    private SourcePause() {
    }

    /** No new batch from now on (what is planned already runs to its end). */
    public static void pause() {
        paused = true;
    }

    /** Batches are planned again (a query starting). */
    public static void resume() {
        paused = false;
    }

    static boolean paused() {
        return paused;
    }
}
