package dev.wslab.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wslab.launcher.Binaries;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docker-compose itself parses and validates the file; it needs no Docker engine for that. */
class ComposeFileIT {
    @Test
    void dockerComposeAcceptsTheFile() throws Exception {
        Path compose = Path.of("..", "docker-compose.yml").toAbsolutePath().normalize();
        Process check = new ProcessBuilder(Binaries.require("docker-compose", "docker-compose").toString(),
                "-f", compose.toString(), "config", "-q").redirectErrorStream(true).start();
        String output = new String(check.getInputStream().readAllBytes());
        assertThat(check.waitFor()).as(output).isZero();
    }
}
