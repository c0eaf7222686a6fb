package dev.cdc.bench.broker;

import java.lang.management.ManagementFactory;

/** The CPU clocks a measurement reads at both ends of its window; -1 where the JVM cannot tell. */
final class Cpu {

    private Cpu() {
    }

    /** CPU time of the whole process (broker and clients) so far. */
    static long process() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    /** CPU time of the calling thread so far. */
    static long thread() {
        var threads = ManagementFactory.getThreadMXBean();
        return threads.isCurrentThreadCpuTimeSupported() ? threads.getCurrentThreadCpuTime() : -1;
    }

    /** The time between two readings; -1 when either was unknown. */
    static long since(long before, long now) {
        return before < 0 || now < 0 ? -1 : now - before;
    }
}
