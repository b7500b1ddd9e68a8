package dev.wslab.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A short external command run to its end, output and error together: iptables, debootstrap, docker. */
public final class Command {
    /** How it ended; {@code exit} is -1 when it outlived its time and was killed. */
    public record Result(int exit, String output) {
        public boolean ok() {
            return exit == 0;
        }
    }

    private Command() {}

    public static Result run(Duration timeout, List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            StringBuilder output = new StringBuilder();
            Thread reader = new Thread(() -> {
                try {
                    output.append(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException e) {
                    output.append("(output lost: ").append(e.getMessage()).append(')');
                }
            }, "command-output");
            reader.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                reader.join(1000);
                return new Result(-1, output.toString().trim());
            }
            reader.join(10_000);
            return new Result(process.exitValue(), output.toString().trim());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + String.join(" ", command), e);
        }
    }

    /** Runs it and fails, with its output, unless it exits 0. */
    public static String require(Duration timeout, List<String> command) {
        Result result = run(timeout, command);
        if (!result.ok()) {
            throw new IllegalStateException(String.join(" ", command) + " failed (exit " + result.exit() + "): " + result.output());
        }
        return result.output();
    }
}
