package dev.wslab.launcher.docker;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * {@code ./lab compose-prep}: what a machine without an image registry needs before
 * {@code docker compose up --build} — the base image ({@link BaseImage}) and, where the host trusts
 * extra CAs (a TLS-intercepting proxy in front of Maven Central), those CAs in the build context
 * (docker/ca-certificates/README.md). A machine with a registry and a plain network needs neither.
 */
public final class ComposePrep {
    /** Where Debian keeps the CAs an administrator added (update-ca-certificates reads them). */
    static final Path HOST_CAS = Path.of("/usr/local/share/ca-certificates");

    private ComposePrep() {}

    public static void main(String[] args) {
        Path home = Path.of(System.getProperty("wslab.home", ".")).toAbsolutePath().normalize();
        DockerApi api = new DockerApi(DockerApi.DEFAULT_SOCKET);
        if (!api.answers()) {
            System.err.println("compose-prep: no Docker engine answers at " + DockerApi.DEFAULT_SOCKET
                    + ": start it (systemctl start docker, or as root: dockerd &) and run again");
            System.exit(1);
        }
        prepare(home, api, System.out);
    }

    public static void prepare(Path home, DockerApi api, PrintStream out) {
        new BaseImage(api, out).ensure();
        out.println("certs      " + copyHostCertificates(home.resolve("docker/ca-certificates"))
                + " CA certificate(s) of the host's own in docker/ca-certificates/ for the build stage");
    }

    /** Copies the host's added CAs (*.crt) into the build context; returns how many. */
    static int copyHostCertificates(Path target) {
        if (!Files.isDirectory(HOST_CAS)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(HOST_CAS)) {
            int copied = 0;
            for (Path crt : files.filter(f -> f.getFileName().toString().endsWith(".crt")).toList()) {
                Files.createDirectories(target);
                Files.copy(crt, target.resolve(crt.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                copied++;
            }
            return copied;
        } catch (IOException e) {
            throw new UncheckedIOException("copying the host's CA certificates: " + e.getMessage(), e);
        }
    }
}
