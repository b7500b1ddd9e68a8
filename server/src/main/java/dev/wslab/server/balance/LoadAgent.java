package dev.wslab.server.balance;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.function.IntSupplier;

/**
 * HAProxy's agent-check protocol, server side: on each TCP connection, answer one line with this
 * node's weight ("up 73%") and close. "up" matters for a server added at run time: HAProxy starts
 * its agent state down, and a bare weight would leave it so (the health check still has the last
 * word on whether the node is up). HAProxy checks every second per backend, so one thread that
 * accepts and answers in turn is plenty, and a stuck HAProxy cannot pile threads up here.
 */
public final class LoadAgent implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(LoadAgent.class.getName());
    private static final int READ_TIMEOUT_MS = 1000;

    private final ServerSocket socket;
    private final IntSupplier weightPercent;
    private final Thread thread;

    public LoadAgent(String host, int port, IntSupplier weightPercent) {
        this.weightPercent = weightPercent;
        try {
            this.socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(host, port), 50);
        } catch (IOException e) {
            throw new IllegalStateException("agent port " + host + ":" + port + ": " + e.getMessage(), e);
        }
        this.thread = new Thread(this::serve, "wslab-load-agent");
        thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    public int port() {
        return socket.getLocalPort();
    }

    private void serve() {
        while (!socket.isClosed()) {
            try (Socket peer = socket.accept()) {
                peer.setSoTimeout(READ_TIMEOUT_MS);
                OutputStream out = peer.getOutputStream();
                out.write(("up " + weightPercent.getAsInt() + "%\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } catch (IOException e) {
                if (!socket.isClosed()) {
                    LOG.log(Level.DEBUG, "event=agent_check_failed error=" + e);
                }
            }
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a listener: nothing to do
        }
    }
}
