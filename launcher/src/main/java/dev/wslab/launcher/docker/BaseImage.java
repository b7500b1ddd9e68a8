package dev.wslab.launcher.docker;

import dev.wslab.launcher.Binaries;
import dev.wslab.launcher.Command;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * Makes sure the engine has {@code debian:bookworm-slim}, the base of every image the project builds:
 * kept from before, pulled where a registry answers, or else made here from the Debian archive with
 * {@code debootstrap --variant=minbase} and imported under that name. The made one is trimmed the
 * way the official slim image is (no docs, man pages or locales from later installs, no apt lists)
 * and gets the same apt sources (bookworm, -updates, -security), so packages installed in it are the
 * versions the host gets.
 */
public final class BaseImage {
    public static final String NAME = "debian:bookworm-slim";
    private static final Duration PULL_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration DEBOOTSTRAP_TIMEOUT = Duration.ofMinutes(15);
    private static final String SLIM_DPKG_CONFIG = """
            path-exclude /usr/share/doc/*
            path-include /usr/share/doc/*/copyright
            path-exclude /usr/share/man/*
            path-exclude /usr/share/info/*
            path-exclude /usr/share/locale/*
            path-include /usr/share/locale/locale.alias
            """;
    private static final String APT_SOURCES = """
            Types: deb
            URIs: http://deb.debian.org/debian
            Suites: bookworm bookworm-updates
            Components: main
            Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

            Types: deb
            URIs: http://deb.debian.org/debian-security
            Suites: bookworm-security
            Components: main
            Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
            """;

    private final DockerApi api;
    private final PrintStream out;

    public BaseImage(DockerApi api, PrintStream out) {
        this.api = api;
        this.out = out;
    }

    /** How the image was had: "present", "pulled" or "built". */
    public String ensure() {
        if (present()) {
            out.println("image      " + NAME + " present");
            return "present";
        }
        Command.Result pull = Command.run(PULL_TIMEOUT, List.of(docker(), "pull", NAME));
        if (pull.ok() && present()) {
            out.println("image      " + NAME + " pulled");
            return "pulled";
        }
        String reason = pull.output().lines().reduce((a, b) -> b).orElse("exit " + pull.exit());
        out.println("image      " + NAME + " cannot be pulled (" + reason + "); building it with debootstrap");
        build();
        out.println("image      " + NAME + " built with debootstrap --variant=minbase bookworm and imported");
        return "built";
    }

    private boolean present() {
        return api.get("/images/" + NAME + "/json").status() == 200;
    }

    private void build() {
        Path debootstrap = Binaries.require("debootstrap", "debootstrap");
        Path root;
        try {
            root = Files.createTempDirectory("wslab-bookworm-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            Command.require(DEBOOTSTRAP_TIMEOUT, List.of(debootstrap.toString(), "--variant=minbase", "bookworm", root.toString()));
            Files.writeString(root.resolve("etc/dpkg/dpkg.cfg.d/docker-slim"), SLIM_DPKG_CONFIG);
            Files.deleteIfExists(root.resolve("etc/apt/sources.list"));
            Files.writeString(root.resolve("etc/apt/sources.list.d/debian.sources"), APT_SOURCES);
            deleteContents(root.resolve("var/lib/apt/lists"));
            deleteContents(root.resolve("var/cache/apt/archives"));
            Command.require(Duration.ofMinutes(5), List.of("sh", "-c", "tar -C \"$1\" -c . | \"$2\" import -c 'CMD [\"bash\"]' - \"$3\"",
                    "import", root.toString(), docker(), NAME));
        } catch (IOException e) {
            throw new UncheckedIOException("building " + NAME + ": " + e.getMessage(), e);
        } finally {
            delete(root);
        }
    }

    private static String docker() {
        return Binaries.require("docker", "docker.io").toString();
    }

    private static void deleteContents(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                if (Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    Files.delete(f);
                }
            }
        }
    }

    private static void delete(Path root) {
        // debootstrap leaves device nodes and mount points: rm handles them, and the tree is ours.
        Command.run(Duration.ofMinutes(2), List.of("rm", "-rf", "--one-file-system", root.toString()));
    }
}
