package dev.cdc.ods.apply;

import dev.cdc.common.fault.FaultKind;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;

/**
 * How the ODS writer tells faults apart. Transient: the database is down or unreachable, out of resources, or a
 * concurrency conflict (a deadlock between writers, a serialization failure), worth retrying as is. Invalid: any
 * other database error (a row it refuses). Fatal: anything else, a bug.
 */
final class OdsFaults {

    private OdsFaults() {
    }

    static FaultKind classify(Throwable e) {
        if (isTransient(e)) {
            return FaultKind.TRANSIENT;
        }
        return e instanceof SQLException ? FaultKind.INVALID : FaultKind.FATAL;
    }

    static boolean isTransient(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientException || t instanceof SQLRecoverableException) {
                return true;
            }
            if (t instanceof SQLException s && s.getSQLState() != null) {
                String state = s.getSQLState();
                if (state.startsWith("08") || state.startsWith("53") || state.startsWith("57") || state.startsWith("58")
                        || state.equals("40001") || state.equals("40P01") || state.equals("55P03")) {
                    return true;
                }
            }
        }
        return false;
    }

    static void rollbackQuietly(Connection c, Exception cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e); // the connection is likely gone; the pool discards it
        }
    }

    /** The first line of an error, at most 300 characters: what a dead letter or a log line says of it. */
    static String summary(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        m = m.lines().findFirst().orElse(m);
        return m.length() > 300 ? m.substring(0, 297) + "..." : m;
    }
}
