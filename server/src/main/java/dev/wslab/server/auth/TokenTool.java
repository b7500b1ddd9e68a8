package dev.wslab.server.auth;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Mints a client token with the node's secret, for trying a node with {@code WSLAB_ANONYMOUS=false}:
 * {@code WSLAB_AUTH_SECRET=… java -cp server/target/wslab-server.jar dev.wslab.server.auth.TokenTool
 * --sub alice --rooms 'lobby,team-*' --ttl 3600}. In production the service that logs users in
 * mints tokens the same way (HS256, claims sub, rooms, exp).
 */
public final class TokenTool {
    private TokenTool() {}

    public static void main(String[] args) {
        String secret = System.getenv().getOrDefault("WSLAB_AUTH_SECRET", "");
        String subject = null;
        List<String> rooms = new ArrayList<>();
        long ttl = 3600;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--sub" -> subject = args[i + 1];
                case "--rooms" -> rooms.addAll(List.of(args[i + 1].split(",")));
                case "--ttl" -> ttl = Long.parseLong(args[i + 1]);
                default -> {
                    System.err.println("unknown option " + args[i]);
                    System.exit(2);
                }
            }
        }
        if (secret.isBlank() || subject == null || rooms.isEmpty()) {
            System.err.println("usage: WSLAB_AUTH_SECRET=<32+ bytes> TokenTool --sub <user> --rooms <room,prefix-*> [--ttl seconds]");
            System.exit(2);
        }
        Tokens tokens = new Tokens(secret.getBytes(StandardCharsets.UTF_8), Clock.systemUTC());
        System.out.println(tokens.sign(subject, rooms, Duration.ofSeconds(ttl)));
    }
}
