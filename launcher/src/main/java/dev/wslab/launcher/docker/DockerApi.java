package dev.wslab.launcher.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wslab.launcher.Exchange;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The Docker Engine API over its Unix socket, for the few calls the lab makes: list and inspect
 * containers, kill, stop and start them. Requests are HTTP/1.0 so that the engine answers with a
 * plain body to EOF (no chunked encoding to undo); the JDK's HTTP client cannot reach a Unix socket.
 * API 1.41 is Docker 20.10's (Debian's), which later engines still serve.
 */
public final class DockerApi {
    /** The engine's socket where DOCKER_HOST does not name another. */
    public static final Path DEFAULT_SOCKET = Path.of("/var/run/docker.sock");
    private static final String VERSION = "/v1.41";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the engine answered: the status code and the body. */
    public record Response(int status, String body) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException("the Docker engine answered " + status + " with no JSON: " + body, e);
            }
        }

        Response expect(int... accepted) {
            for (int a : accepted) {
                if (status == a) {
                    return this;
                }
            }
            throw new IllegalStateException("the Docker engine answered " + status + ": " + body.trim());
        }
    }

    private final Path socket;

    public DockerApi(Path socket) {
        this.socket = socket;
    }

    public boolean answers() {
        if (!Files.exists(socket)) {
            return false;
        }
        try {
            return send("GET", "/_ping").status() == 200;
        } catch (UncheckedIOException e) {
            return false;
        }
    }

    public Response get(String path) {
        return send("GET", path);
    }

    public Response post(String path) {
        return send("POST", path);
    }

    /** The containers of a compose project's service, stopped ones included. */
    public JsonNode containers(String project, String service) {
        String filters = "{\"label\":[\"com.docker.compose.project=" + project + "\",\"com.docker.compose.service=" + service + "\"]}";
        return get("/containers/json?all=1&filters=" + URLEncoder.encode(filters, StandardCharsets.UTF_8)).expect(200).json();
    }

    public JsonNode inspect(String container) {
        return get("/containers/" + container + "/json").expect(200).json();
    }

    /** SIGKILL, as {@code docker kill} does. */
    public void kill(String container) {
        post("/containers/" + container + "/kill").expect(204);
    }

    /** SIGTERM, then SIGKILL after {@code graceSeconds}; a stopped container is left as it is. */
    public void stop(String container, int graceSeconds) {
        post("/containers/" + container + "/stop?t=" + graceSeconds).expect(204, 304);
    }

    public void start(String container) {
        post("/containers/" + container + "/start").expect(204, 304);
    }

    private Response send(String method, String path) {
        try {
            String raw = Exchange.send(UnixDomainSocketAddress.of(socket),
                    method + " " + VERSION + path + " HTTP/1.0\r\nHost: docker\r\nContent-Length: 0\r\n\r\n");
            int headerEnd = raw.indexOf("\r\n\r\n");
            String[] statusLine = raw.substring(0, Math.max(0, raw.indexOf("\r\n"))).split(" ");
            if (headerEnd < 0 || statusLine.length < 2) {
                throw new IllegalStateException("the Docker engine at " + socket + " answered " + path + " with: " + raw);
            }
            return new Response(Integer.parseInt(statusLine[1]), raw.substring(headerEnd + 4));
        } catch (IOException e) {
            throw new UncheckedIOException("Docker engine at " + socket + ": " + e.getMessage(), e);
        }
    }
}
