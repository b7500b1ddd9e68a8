package dev.wslab.server.guard;

import dev.wslab.server.TestNodes;
import dev.wslab.server.TestClient;
import dev.wslab.server.RawSocket;
import dev.wslab.server.Eventually;
import dev.wslab.server.SessionClient;
import dev.wslab.server.Node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** WSLAB_MAX_CONNECTIONS: a full node refuses with 503 and Retry-After, and its agent stops HAProxy first. */
class ConnectionCapIT {
    TestNodes nodes;
    Node node;
    int agentPort;
    final List<TestClient> clients = new ArrayList<>();

    void start(int max) throws IOException {
        try (ServerSocket probe = new ServerSocket(0)) {
            agentPort = probe.getLocalPort();
        }
        nodes = new TestNodes(null, Map.of("WSLAB_MAX_CONNECTIONS", Integer.toString(max),
                "WSLAB_AGENT_PORT", Integer.toString(agentPort)));
        node = nodes.start("capped");
    }

    @AfterEach
    void stop() {
        clients.forEach(TestClient::close);
        nodes.close();
    }

    @Test
    void aFullNodeRefusesHandshakesAndSessionsWith503AndRetryAfterThenTakesClientsOnceOneLeaves() throws Exception {
        start(4);
        for (int i = 0; i < 3; i++) {
            connect();
        }
        SessionClient.open(node.port(), "poll");
        assertThat(node.connectionCount()).isEqualTo(4);

        try (RawSocket refused = new RawSocket(node.port(), null)) {
            String head = refused.readHandshake();
            assertThat(head).startsWith("HTTP/1.1 503").containsIgnoringCase("Retry-After: 5");
        }
        HttpResponse<String> session = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + node.port() + "/rt/sessions?transport=poll"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(session.statusCode()).isEqualTo(503);
        assertThat(session.headers().firstValue("Retry-After")).hasValue("5");
        assertThat(new ObjectMapper().readTree(session.body()).path("code").asText()).isEqualTo("over_capacity");
        assertThat(session.body()).contains("node full: it holds its 4 connections");
        assertThat(node.metrics().errorCount("over_capacity")).isEqualTo(2);

        clients.remove(0).close();
        Eventually.until(() -> node.connectionCount() == 3, Duration.ofSeconds(5), "the closed client to leave");
        connect();
        assertThat(node.connectionCount()).isEqualTo(4);
    }

    @Test
    void theAgentAsksForLessFromEightyPercentOfTheCapAndForZeroAtNinetyFive() throws Exception {
        start(20);
        assertThat(agent()).isEqualTo("up 100%");
        for (int i = 0; i < 16; i++) {
            connect();
        }
        assertThat(agent()).isEqualTo("up 100%");
        connect();
        assertThat(agent()).isEqualTo("up 67%");
        connect();
        connect();
        assertThat(agent()).as("19 of 20: HAProxy must send no more").isEqualTo("up 0%");
        assertThat(node.metrics().errorCount("over_capacity")).isZero();
    }

    private void connect() {
        TestClient client = TestClient.connect(node.port());
        client.await("welcome");
        clients.add(client);
    }

    private String agent() throws IOException {
        try (Socket s = new Socket("127.0.0.1", agentPort)) {
            s.setSoTimeout(5000);
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
        }
    }
}
