package dev.cdc.cli;

import dev.cdc.common.config.Configuration;
import dev.cdc.common.config.PostgresSettings;
import dev.cdc.common.config.Setting;
import dev.cdc.common.truth.SourceTruth;
import dev.cdc.common.xml.XmlExtractions;
import dev.cdc.ods.OdsDatabase;
import dev.cdc.ods.OdsSettings;
import dev.cdc.ods.verify.OdsVerifier;
import dev.cdc.ods.verify.VerificationReport;
import dev.cdc.restapi.client.ReceivedReader;
import dev.cdc.restapi.verify.DeliveryReport;
import dev.cdc.restapi.verify.DeliveryVerifier;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "verify", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Compares the ODS (or with --api the REST API) with a truth written by ./cdc generate.",
            "Checks every state table, the extracted rows and the enriched orders, and names each missing, extra"
                + " or different row. With --api, what the REST API target received instead (Architecture B): changes"
                + " once each, enriched orders, alerts, extracted rows. Reads only. Exit code: 0 when the target holds"
                + " exactly the truth, 1 when it does not (or can't be read), 2 on bad input."},
        footer = {"", "Examples:",
            "  ./cdc verify --truth data/truth",
            "  ./cdc verify --truth data/truth --api http://127.0.0.1:8080",
            "  ./cdc verify --truth data/truth --examples 20 --config configs/cdc.yaml"})
final class VerifyCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--truth", paramLabel = "DIR", required = true,
            description = "the truth directory (see docs/truth-format.md)")
    Path truth;

    @CommandLine.Mixin
    ConfigOption config;

    @Option(names = "--examples", paramLabel = "N", defaultValue = "" + OdsVerifier.DEFAULT_EXAMPLES,
            description = "rows named per table and kind (missing, extra, different) (default: ${DEFAULT-VALUE})")
    int examples;

    @Option(names = "--api", paramLabel = "URL",
            description = "check the REST API target at URL (Architecture B) instead of the ODS")
    String api;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        if (examples < 0) {
            err.println("cdc verify: --examples: expected a number >= 0, was " + examples);
            return Cdc.BAD_INPUT;
        }
        if (!Files.isDirectory(truth)) {
            err.println("cdc verify: --truth " + truth + ": no such directory (write one with ./cdc generate --truth DIR)");
            return Cdc.BAD_INPUT;
        }
        SourceTruth expected;
        try {
            expected = SourceTruth.read(truth);
        } catch (IOException | RuntimeException e) {
            // a JSON parser's message goes on with the source location: the first line says what is wrong
            err.println("cdc verify: --truth " + truth + ": cannot read it: "
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse(e.getClass().getSimpleName()));
            return Cdc.BAD_INPUT;
        }
        Configuration c = config.load();
        if (api != null) {
            return verifyApi(expected, c);
        }
        List<Setting<?>> settings = new ArrayList<>(PostgresSettings.ALL);
        settings.addAll(OdsSettings.all(c));
        c.validate(settings, List.of("postgres", "ods"));
        VerificationReport report;
        try (OdsDatabase ods = OdsDatabase.connect(c, 2)) {
            report = new OdsVerifier(ods.dataSource(), OdsSettings.tableMapping(c), examples).verify(expected);
        } catch (SQLException e) {
            err.println("cdc verify: cannot read the ODS at " + PostgresSettings.jdbcUrl(c) + ": " + rootMessage(e)
                    + " (is ./cdc infra running?)");
            return 1;
        }
        report.render(spec.commandLine().getOut());
        return report.matches() ? 0 : 1;
    }

    private int verifyApi(SourceTruth expected, Configuration c) throws InterruptedException {
        DeliveryReport report;
        try {
            report = new DeliveryVerifier(new ReceivedReader(api), XmlExtractions.load(c)).verify(expected);
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("cdc verify: --api " + api + ": " + e.getMessage());
            return Cdc.BAD_INPUT;
        } catch (IOException e) {
            spec.commandLine().getErr().println("cdc verify: cannot read the REST API at " + api + ": " + e.getMessage()
                    + " (is ./cdc api running?)");
            return 1;
        }
        report.render(spec.commandLine().getOut());
        return report.matches() ? 0 : 1;
    }

    /** The pool's timeout says only that it timed out; the driver's cause says why (refused, bad password). */
    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? e.getMessage() : e.getMessage() + ": " + root.getMessage();
    }
}
