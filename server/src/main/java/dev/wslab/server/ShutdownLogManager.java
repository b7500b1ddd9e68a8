package dev.wslab.server;

import java.util.logging.LogManager;

/**
 * java.util.logging's LogManager closes every handler from a shutdown hook of its own, which runs
 * at the same time as the node's: the node's last lifecycle lines (node_stopped, with how many
 * sockets it closed) never reached the log of a SIGTERMed node. This manager ignores the reset
 * while the JVM shuts down; {@link Main} resets it once the node has closed.
 */
public final class ShutdownLogManager extends LogManager {

    @Override
    public void reset() {
        if (!shuttingDown()) {
            super.reset();
        }
    }

    /** The reset the shutdown skipped, once there is nothing left to log. */
    void resetAfterShutdown() {
        super.reset();
    }

    /** The JVM refuses new shutdown hooks once shutdown has begun: the one public way to ask. */
    private static boolean shuttingDown() {
        try {
            Thread probe = new Thread(() -> { });
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException e) {
            return true;
        }
    }
}
