package dev.cdc.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code ./cdc verify} on bad input: one line naming what is wrong, exit 2, before any database is reached. */
class VerifyCommandTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = Cdc.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void aTruthDirectoryThatDoesNotExistIsOneLineNamingIt() {
        Path missing = dir.resolve("no-truth");
        assertThat(run("verify", "--truth", missing.toString())).isEqualTo(Cdc.BAD_INPUT);
        assertThat(err.toString().lines()).singleElement().asString()
                .isEqualTo("cdc verify: --truth " + missing + ": no such directory (write one with ./cdc generate --truth DIR)");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void aDirectoryWithoutManifestIsNoTruth() {
        assertThat(run("verify", "--truth", dir.toString())).isEqualTo(Cdc.BAD_INPUT);
        assertThat(err.toString().lines()).singleElement().asString()
                .startsWith("cdc verify: --truth " + dir + ": cannot read it: ").contains("no truth manifest");
    }

    @Test
    void aManifestThatIsNotJsonIsOneLine() throws IOException {
        Files.writeString(dir.resolve("manifest.json"), "{ not json");
        assertThat(run("verify", "--truth", dir.toString())).isEqualTo(Cdc.BAD_INPUT);
        assertThat(err.toString().lines()).singleElement().asString().startsWith("cdc verify: --truth " + dir + ": cannot read it: ");
    }

    @Test
    void theTruthOptionIsRequired() {
        assertThat(run("verify")).isEqualTo(Cdc.BAD_INPUT);
        assertThat(err.toString().lines().findFirst().orElseThrow()).contains("--truth");
    }

    @Test
    void aNegativeExampleCountIsRefused() {
        assertThat(run("verify", "--truth", dir.toString(), "--examples", "-1")).isEqualTo(Cdc.BAD_INPUT);
        assertThat(err.toString().lines()).singleElement().asString().contains("--examples").contains(">= 0");
    }
}
