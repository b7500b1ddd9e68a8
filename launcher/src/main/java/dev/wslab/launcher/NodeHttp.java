package dev.wslab.launcher;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/** The lab's few HTTP calls to its processes (health, admin, Prometheus readiness), with short timeouts. */
public final class NodeHttp {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** "status body", or empty when nothing answers. */
    public Optional<String> get(String host, int port, String path) {
        try {
            HttpResponse<String> response = http.send(request(host, port, path).GET().build(), HttpResponse.BodyHandlers.ofString());
            return Optional.of(response.statusCode() + " " + response.body());
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    /** The status of a GET, or -1 when nothing answers. */
    public int status(String host, int port, String path) {
        try {
            return http.send(request(host, port, path).GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    /** The status of an empty POST; a call that gets no answer is an error (admin calls must land). */
    public int post(String host, int port, String path) {
        try {
            return http.send(request(host, port, path).timeout(Duration.ofSeconds(5)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            throw new IllegalStateException("admin call " + path + " on " + host + ":" + port + " failed: " + e, e);
        }
    }

    private static HttpRequest.Builder request(String host, int port, String path) {
        return HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + path)).timeout(Duration.ofSeconds(2));
    }
}
