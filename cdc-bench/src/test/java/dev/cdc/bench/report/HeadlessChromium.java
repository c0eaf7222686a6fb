package dev.cdc.bench.report;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;

/**
 * A real browser for the reports' tests: Chromium, headless, opening a report from disk and giving back the page as
 * its scripts left it ({@code --dump-dom}). Chromium comes from the system ({@code apt-get install chromium}, which
 * {@code .ci/run} does) or {@code CDC_CHROMIUM}; where there is none the test is skipped and says why.
 */
public final class HeadlessChromium {

    private static final List<String> CANDIDATES = List.of("/usr/bin/chromium", "/usr/bin/chromium-browser",
            "/usr/bin/google-chrome", "/usr/bin/google-chrome-stable");

    private HeadlessChromium() {
    }

    /** The browser, or the test is skipped with how to install one. */
    public static Path required() {
        Optional<Path> found = find();
        assumeTrue(found.isPresent(), "no Chromium here: install it (apt-get install chromium) or set CDC_CHROMIUM;"
                + " the HTML reports' browser test is skipped");
        return found.get();
    }

    static Optional<Path> find() {
        String configured = System.getenv("CDC_CHROMIUM");
        if (configured != null && !configured.isBlank()) {
            return Optional.of(Path.of(configured));
        }
        return CANDIDATES.stream().map(Path::of).filter(Files::isExecutable).findFirst();
    }

    /**
     * A chart as the browser drew it: its title, what ECharts holds (series and data points, read by the page's own
     * script) and what the SVG has (drawn shapes, and the text in it: titles, axis names, legends).
     */
    public record DrawnChart(String title, int series, int points, int shapes, String text) {
    }

    /** The charts of a rendered report, in page order; fails when the page's script did not finish. */
    public static List<DrawnChart> charts(Document page) {
        String done = page.body().attr("data-charts");
        if (done.isEmpty()) {
            throw new AssertionError("the report's script did not run to its end (no data-charts on the body)");
        }
        return page.select("div.chart").stream().map(c -> new DrawnChart(c.attr("data-title"),
                number(c.attr("data-series")), number(c.attr("data-points")),
                c.select("svg path, svg rect, svg circle").size(), c.select("svg text").eachText().toString())).toList();
    }

    private static int number(String text) {
        return text.isEmpty() ? -1 : Integer.parseInt(text);
    }

    /** Opens {@code page} and returns the document after its scripts ran. */
    public static Document render(Path page, Path profile) throws IOException, InterruptedException {
        Path browser = required();
        Path out = Files.createTempFile(profile.getParent(), "dom", ".html");
        // the flags keep a closed network quiet: no background connections, updates or sync
        Process p = new ProcessBuilder(browser.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile, "--window-size=1280,2000",
                "--virtual-time-budget=10000", "--dump-dom", page.toUri().toString())
                .redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("Chromium did not finish rendering " + page + " within 120 s");
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException("Chromium exited with " + p.exitValue() + " rendering " + page);
        }
        return Jsoup.parse(Files.readString(out, StandardCharsets.UTF_8));
    }
}
