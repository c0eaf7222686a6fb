package dev.cdc.e2e.scenario;

import dev.cdc.common.truth.SourceTruth;
import dev.cdc.e2e.pipeline.PipelineRun;
import dev.cdc.ods.OdsDatabase;
import dev.cdc.ods.OdsSettings;
import dev.cdc.ods.verify.OdsVerifier;
import dev.cdc.ods.verify.TableResult;
import dev.cdc.ods.verify.VerificationReport;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.Locale;

/** Architecture A: the ODS table by table, and the dead letters in {@code cdc_dlq}. */
final class OdsTruthCheck implements TruthCheck {

    @Override
    public Verdict verify(PipelineRun run, SourceTruth truth, long foreignDeadLetters, long moreDeadLetters)
            throws Exception {
        try (OdsDatabase ods = run.ods()) {
            VerificationReport report = new OdsVerifier(ods.dataSource(), OdsSettings.tableMapping(run.config()))
                    .verify(truth);
            long deadLetters;
            try (Connection conn = ods.dataSource().getConnection();
                 ResultSet rs = conn.createStatement().executeQuery("SELECT count(*) FROM cdc_dlq")) {
                rs.next();
                deadLetters = rs.getLong(1);
                conn.commit();
            }
            long expected = truth.deadLetters().size() + moreDeadLetters;
            String summary = String.format(Locale.ROOT, "%d missing, %d extra, %d different; DLQ %d of %d",
                    report.tables().stream().mapToLong(TableResult::missing).sum(),
                    report.tables().stream().mapToLong(TableResult::extra).sum(),
                    report.tables().stream().mapToLong(TableResult::different).sum(), deadLetters, expected);
            return new Verdict(report.matches(), deadLetters, expected, summary, report.render());
        }
    }
}
