package dev.wslab.server.redis;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * One Lua script from {@code src/main/resources/lua}, run by its SHA ({@code EVALSHA}): the text
 * crosses the network once per Redis process, not with every publish. A Redis that does not know
 * the script (restarted, flushed, failed over to a replica that never saw it) answers
 * {@code NOSCRIPT}; the script is then sent whole with {@code EVAL}, which also loads it.
 */
public final class Script {
    private final String name;
    private final String text;
    private final String sha;

    private Script(String name, String text) {
        this.name = name;
        this.text = text;
        try {
            this.sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The script {@code lua/<name>.lua}, after the text of each of {@code prelude}'s files (shared functions). */
    public static Script load(String name, String... prelude) {
        StringBuilder text = new StringBuilder();
        for (String part : prelude) {
            text.append(resource(part)).append('\n');
        }
        text.append(resource(name));
        return new Script(name, text.toString());
    }

    private static String resource(String name) {
        try (InputStream in = Script.class.getResourceAsStream("/lua/" + name + ".lua")) {
            if (in == null) {
                throw new IllegalStateException("no script lua/" + name + ".lua on the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public String sha() {
        return sha;
    }

    /**
     * The same script under a SHA of its own: {@code owner} goes into a comment line, so no other
     * process loads this SHA into Redis ({@link OrderedScript} relies on that).
     */
    public Script ownedBy(String owner) {
        return new Script(name, "-- run by " + owner.replace('\n', ' ') + "\n" + text);
    }

    public <T> CompletionStage<T> run(RedisClusterAsyncCommands<String, String> redis, ScriptOutputType type, String[] keys,
            String... args) {
        // One dependent stage on the way that succeeds: this runs on every call.
        return this.<T>bySha(redis, type, keys, args).exceptionallyCompose(error -> isNoScript(error)
                ? whole(redis, type, keys, args) : CompletableFuture.<T>failedStage(cause(error)));
    }

    /** {@code EVALSHA}: fails with {@code NOSCRIPT} where this Redis does not know the script. */
    <T> CompletionStage<T> bySha(RedisClusterAsyncCommands<String, String> redis, ScriptOutputType type, String[] keys,
            String... args) {
        return redis.<T>evalsha(sha, type, keys, args);
    }

    /** {@code EVAL}: the whole text, which also loads it. */
    <T> CompletionStage<T> whole(RedisClusterAsyncCommands<String, String> redis, ScriptOutputType type, String[] keys,
            String... args) {
        return redis.<T>eval(text, type, keys, args);
    }

    static boolean isNoScript(Throwable error) {
        return cause(error) instanceof RedisNoScriptException;
    }

    static Throwable cause(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    @Override
    public String toString() {
        return name + "@" + sha.substring(0, 8);
    }
}
