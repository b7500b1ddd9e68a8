package dev.wslab.launcher.docker;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A compose project's services as the Docker engine knows them: each one's container (by its
 * compose labels), its address on the compose network, and its health.
 *
 * <p>Addresses are kept for {@link #ADDRESS_TTL_NANOS}. The comparison's sampler asks for every node
 * and Redis five times a second; each answer from the engine is two API calls, which would put
 * dockerd's CPU into the figures. A container restarted behind this class's back may come back on
 * another address: for at most that long a call then goes to the old one and fails, as for a node
 * that is not up yet. Thread-safe.
 */
final class ComposeServices {
    static final long ADDRESS_TTL_NANOS = 1_000_000_000L;

    private record Address(String ip, long resolvedAt) {}

    private final DockerApi docker;
    private final String project;
    private final Map<String, Address> addresses = new ConcurrentHashMap<>();

    ComposeServices(DockerApi docker, String project) {
        this.docker = docker;
        this.project = project;
    }

    String project() {
        return project;
    }

    /** The service's container id; it stays the same across stops and starts until {@code down}. */
    String container(String service) {
        JsonNode found = docker.containers(project, service);
        if (found.isEmpty()) {
            throw new IllegalStateException("compose project " + project + " has no " + service
                    + " container: bring the lab up first (docker compose up -d)");
        }
        return found.get(0).path("Id").asText();
    }

    /** The service's address on the compose network; an error when its container is not running. */
    String address(String service) {
        Address known = addresses.get(service);
        if (known != null && System.nanoTime() - known.resolvedAt() < ADDRESS_TTL_NANOS) {
            return known.ip();
        }
        String ip = network(service, "IPAddress");
        addresses.put(service, new Address(ip, System.nanoTime()));
        return ip;
    }

    /** The compose network's gateway as the service's container sees it: the Docker host. */
    String gateway(String service) {
        return network(service, "Gateway");
    }

    /** Forgets the service's address: its container was just started or stopped. */
    void forget(String service) {
        addresses.remove(service);
    }

    boolean healthy(String service) {
        return docker.inspect(container(service)).at("/State/Health/Status").asText().equals("healthy");
    }

    private String network(String service, String field) {
        JsonNode networks = docker.inspect(container(service)).at("/NetworkSettings/Networks");
        for (Iterator<JsonNode> it = networks.elements(); it.hasNext(); ) {
            String value = it.next().path(field).asText();
            if (!value.isEmpty()) {
                return value;
            }
        }
        throw new IllegalStateException(service + " is not running in compose project " + project);
    }
}
