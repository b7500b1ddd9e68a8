package dev.wslab.loadtest.soak;

import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the soak keeps doing to the lab until its deadline: WebSocket users that connect, join a
 * room, stay a moment, leave and disconnect, over and over; a backend broadcasting into the rooms
 * over the publish API; HTTP sessions made, used once, and then either ended or abandoned for the
 * node to expire. Every loop stops at the deadline; the user count bounds how much runs at once.
 */
final class SoakLoad {
    static final int ROOMS = 8;
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

    private final String host;
    private final List<Integer> frontends;
    private final int users;
    private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();

    /** @param frontends HAProxy ports the users spread over (sticky first: sessions need its cookie) */
    SoakLoad(String host, List<Integer> frontends, int users) {
        this.host = host;
        this.frontends = frontends;
        this.users = users;
    }

    /** Runs every loop until {@code deadlineNanos}; returns how many of each thing were done. */
    Map<String, Long> run(long deadlineNanos) throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < users; i++) {
            int user = i;
            threads.add(start("soak-user-" + i, () -> churn(user, deadlineNanos)));
        }
        threads.add(start("soak-broadcast", () -> broadcast(deadlineNanos)));
        threads.add(start("soak-sessions", () -> sessions(deadlineNanos)));
        for (Thread t : threads) {
            t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime())) + CALL_TIMEOUT.toMillis() * 2);
        }
        Map<String, Long> done = new java.util.TreeMap<>();
        counts.forEach((k, v) -> done.put(k, v.get()));
        return done;
    }

    private static Thread start(String name, Runnable loop) {
        Thread t = new Thread(loop, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private void count(String what) {
        counts.computeIfAbsent(what, k -> new AtomicLong()).incrementAndGet();
    }

    private void churn(int user, long deadline) {
        Random random = new Random(user);
        HttpClient http = HttpClient.newBuilder().connectTimeout(CALL_TIMEOUT).build();
        while (System.nanoTime() < deadline) {
            int port = frontends.get(random.nextInt(frontends.size()));
            String room = "soak-" + random.nextInt(ROOMS);
            try {
                WebSocket ws = http.newWebSocketBuilder().buildAsync(URI.create("ws://" + host + ":" + port + "/ws"), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
                        count("frames received");
                        socket.request(1);
                        return null;
                    }
                }).get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                ws.sendText("{\"type\":\"join\",\"room\":\"" + room + "\"}", true).get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                Thread.sleep(500 + random.nextInt(1500));
                ws.sendText("{\"type\":\"leave\",\"room\":\"" + room + "\"}", true).get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                ws.sendClose(WebSocket.NORMAL_CLOSURE, "soak").get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                count("websocket cycles");
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                count("websocket failures");
                pause(200);
            }
        }
    }

    private void broadcast(long deadline) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(CALL_TIMEOUT).build();
        for (long i = 0; System.nanoTime() < deadline; i++) {
            String room = "soak-" + (i % ROOMS);
            HttpRequest publish = HttpRequest.newBuilder(URI.create("http://" + host + ":" + frontends.get(0) + "/api/rooms/" + room + "/messages"))
                    .timeout(CALL_TIMEOUT).POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"soak " + i + "\"}")).build();
            try {
                int status = http.send(publish, HttpResponse.BodyHandlers.discarding()).statusCode();
                count(status / 100 == 2 ? "broadcasts" : "broadcast failures");
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                count("broadcast failures");
            }
            pause(50);
        }
    }

    /** Half the sessions are ended with DELETE, half abandoned: the node must expire those itself. */
    private void sessions(long deadline) {
        for (long i = 0; System.nanoTime() < deadline; i++) {
            HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager()).connectTimeout(CALL_TIMEOUT).build();
            String base = "http://" + host + ":" + frontends.get(0) + "/rt/sessions";
            try {
                HttpResponse<String> made = http.send(HttpRequest.newBuilder(URI.create(base + "?transport=poll")).timeout(CALL_TIMEOUT)
                        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
                String id = made.body().replaceAll(".*\"session\"\\s*:\\s*\"([^\"]+)\".*", "$1");
                if (made.statusCode() != 201 || id.equals(made.body())) {
                    count("session failures");
                    pause(200);
                    continue;
                }
                http.send(HttpRequest.newBuilder(URI.create(base + "/" + id + "/commands")).timeout(CALL_TIMEOUT)
                        .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"join\",\"room\":\"soak-" + (i % ROOMS) + "\"}")).build(),
                        HttpResponse.BodyHandlers.discarding());
                http.send(HttpRequest.newBuilder(URI.create(base + "/" + id + "/poll?waitMs=0")).timeout(CALL_TIMEOUT).GET().build(),
                        HttpResponse.BodyHandlers.discarding());
                if (i % 2 == 0) {
                    http.send(HttpRequest.newBuilder(URI.create(base + "/" + id)).timeout(CALL_TIMEOUT).DELETE().build(),
                            HttpResponse.BodyHandlers.discarding());
                    count("sessions ended");
                } else {
                    count("sessions abandoned");
                }
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                count("session failures");
            }
            pause(100);
        }
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
