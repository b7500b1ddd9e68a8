package dev.wslab.server.client;

/**
 * The load-balancer policy a connection came through, from the header HAProxy sets. The header is
 * client-controllable when a node is reached directly, so unknown values fold into {@code other}
 * instead of becoming new metric series.
 */
public enum Lb {
    DIRECT("direct"),
    STICKY("sticky"),
    ROUNDROBIN("roundrobin"),
    WEIGHTED("weighted"),
    AFFINITY("affinity"),
    RANDOM("random"),
    OTHER("other");

    private final String label;

    Lb(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public static Lb fromHeader(String value) {
        if (value == null || value.isBlank()) {
            return DIRECT;
        }
        for (Lb lb : values()) {
            if (lb.label.equalsIgnoreCase(value.trim())) {
                return lb;
            }
        }
        return OTHER;
    }
}
