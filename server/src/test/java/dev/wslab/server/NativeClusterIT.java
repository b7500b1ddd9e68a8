package dev.wslab.server;

import dev.wslab.launcher.Cluster;
import dev.wslab.launcher.Lab;
import dev.wslab.launcher.LabTopology;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** The runner's contract on the native lab: real processes on free loopback ports. */
class NativeClusterIT implements ClusterContract {
    private static final Path HOME = Path.of("..").toAbsolutePath().normalize();

    @TempDir
    static Path runDir;
    static Lab lab;

    @BeforeAll
    static void up() {
        lab = new Lab(LabTopology.onFreePorts(HOME, runDir, 3), new PrintStream(new ByteArrayOutputStream(), true));
        lab.up();
    }

    @AfterAll
    static void down() {
        lab.down();
    }

    @Override
    public Cluster cluster() {
        return lab;
    }
}
