package dev.wslab.loadtest.compare;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** report.html as a real browser leaves it once its script has run: the DOM, and the counts the script wrote on its body. */
record HeadlessChromium(String dom) {

    static HeadlessChromium load(Path html, Path workDir) throws Exception {
        Path profile = Files.createTempDirectory(workDir, "chromium");
        Path err = workDir.resolve("chromium-" + System.nanoTime() + ".err");
        Process chromium = new ProcessBuilder("chromium", "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + profile, "--dump-dom", html.toUri().toString())
                .redirectError(err.toFile()).start();
        String dom = new String(chromium.getInputStream().readAllBytes());
        assertThat(chromium.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(dom).as("the report's script ran: " + Files.readString(err)).contains("data-charts=\"");
        return new HeadlessChromium(dom);
    }

    /** A count the script set on the body, e.g. {@code data-charts}. */
    int bodyCount(String attribute) {
        Matcher m = Pattern.compile(attribute + "=\"(\\d+)\"").matcher(dom);
        assertThat(m.find()).as(attribute).isTrue();
        return Integer.parseInt(m.group(1));
    }

    /** How many elements carry {@code attribute="1"}: the charts of one kind that were drawn. */
    long drawn(String attribute) {
        return Pattern.compile(attribute + "=\"1\"").matcher(dom).results().count();
    }
}
