package dev.wslab.loadtest.scenarios;

import static io.gatling.javaapi.http.HttpDsl.http;

import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * The HTTP/WebSocket protocol every scenario runs with. Beyond 400 users it spreads them over
 * loopback source addresses (127.0.0.1, .2, …), as many real clients come from many addresses:
 * HAProxy allows one address 2,000 open connections and 2,000 new ones per 10 s (haproxy.cfg,
 * per_source): 400 users from one address keep a whole cluster's reconnect herd under both, and the
 * churn scenario's (every user reconnecting every 2.5 s: 1,600 new connections per 10 s).
 */
final class Protocol {
    static final int USERS_PER_SOURCE = 400;

    private Protocol() {
    }

    static HttpProtocolBuilder of(Params params) {
        HttpProtocolBuilder protocol = http.baseUrl(params.target()).wsBaseUrl(params.wsTarget())
                .wsUnmatchedInboundMessageBufferSize(100_000).sseUnmatchedInboundMessageBufferSize(100_000);
        List<String> sources = sourceAddresses(params.target(), params.users());
        return sources.size() > 1 ? protocol.localAddresses(sources) : protocol;
    }

    /** One address per {@link #USERS_PER_SOURCE} users, only towards 127.0.0.1 (Linux answers all of 127/8 on lo). */
    static List<String> sourceAddresses(String target, int users) {
        List<String> sources = new ArrayList<>();
        if (!"127.0.0.1".equals(URI.create(target).getHost())) {
            return sources;
        }
        int count = Math.min(250, Math.max(1, (users + USERS_PER_SOURCE - 1) / USERS_PER_SOURCE));
        for (int i = 1; i <= count; i++) {
            sources.add("127.0.0." + i);
        }
        return sources;
    }
}
