package dev.cdc.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import picocli.CommandLine;

/**
 * Runs a {@code ./cdc} command in the test's JVM as if from the repository's root: {@code cdc.home} is the root, so
 * the command finds {@code configs/} and the consumers this reactor built under {@code cdc-ARCH/target}.
 */
final class FromRepository {

    /** What a command printed, and its exit code. */
    record Run(int code, String out, String err) {
    }

    private FromRepository() {
    }

    static Run cdc(String... args) {
        String home = System.getProperty("cdc.home");
        System.setProperty("cdc.home", Path.of("..").toAbsolutePath().normalize().toString());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Cdc.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        try {
            return new Run(cli.execute(args), out.toString(), err.toString());
        } finally {
            if (home == null) {
                System.clearProperty("cdc.home");
            } else {
                System.setProperty("cdc.home", home);
            }
        }
    }
}
