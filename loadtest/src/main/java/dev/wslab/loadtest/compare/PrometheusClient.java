package dev.wslab.loadtest.compare;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** Instant queries against the lab's Prometheus, evaluated at a chosen time (the end of a run). */
public final class PrometheusClient {
    private final String baseUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ObjectMapper json = new ObjectMapper();

    public PrometheusClient(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    /**
     * The query's result as label value → number, keyed by {@code label} (or "value" for a single
     * series without it). NaN results (no data in the window) are left out.
     */
    public Map<String, Double> query(String promql, long atEpochMillis, String label) {
        String url = baseUrl + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)
                + "&time=" + (atEpochMillis / 1000.0);
        Map<String, Double> values = new LinkedHashMap<>();
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body = json.readTree(response.body());
            if (!"success".equals(body.path("status").asText())) {
                throw new IllegalStateException("prometheus refused " + promql + ": " + body.path("error").asText());
            }
            for (JsonNode series : body.path("data").path("result")) {
                double v = Double.parseDouble(series.path("value").get(1).asText());
                if (!Double.isNaN(v)) {
                    values.put(series.path("metric").path(label).asText("value"), v);
                }
            }
            return values;
        } catch (java.io.IOException e) {
            throw new IllegalStateException("prometheus at " + baseUrl + " did not answer: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
