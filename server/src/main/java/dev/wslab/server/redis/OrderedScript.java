package dev.wslab.server.redis;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A script that Redis runs in the order this process called it, also when Redis has lost the script
 * (a fresh or restarted Redis, a replica that took over). The publish path needs that: a room's seq
 * is the order its script calls ran in, and a client's messages must keep the order it sent them.
 *
 * <p>{@link Script#run}'s fallback does not keep it: calls pipelined by SHA all fail with
 * {@code NOSCRIPT} until the first fallback {@code EVAL} loads the script; a call still on the way
 * then succeeds by SHA ahead of the earlier calls' fallbacks (seen: 50 calls after a
 * {@code SCRIPT FLUSH} numbered 100 before 61). So here the SHA is this process's own
 * ({@link Script#ownedBy}) and nothing loads it behind our back; on the first {@code NOSCRIPT} new
 * calls are held, and once every call on the way has answered — all by SHA after the failed one fail
 * too — the failed and held calls go again, whole and in the order they were made. A call that fails
 * otherwise (a timeout, Redis gone) fails as it did.
 */
public final class OrderedScript {
    private final Script script;
    private final Object lock = new Object();
    // Guarded by lock: a call's place in the order, what is on the way, what waits for the resend.
    private long made;
    private int onTheWay;
    private boolean recovering;
    private final List<Call<?>> failed = new ArrayList<>();
    private final List<Call<?>> held = new ArrayList<>();

    private OrderedScript(Script script) {
        this.script = script;
    }

    /** {@code lua/<name>.lua} under a SHA no other process uses. */
    public static OrderedScript load(String name, String... prelude) {
        return new OrderedScript(Script.load(name, prelude).ownedBy("process " + UUID.randomUUID()));
    }

    public String sha() {
        return script.sha();
    }

    public <T> CompletionStage<T> run(RedisClusterAsyncCommands<String, String> redis, ScriptOutputType type, String[] keys,
            String... args) {
        Call<T> call = new Call<>(redis, type, keys, args);
        synchronized (lock) {
            call.order = made++;
            if (recovering) {
                held.add(call);
            } else {
                send(call, false);
            }
        }
        return call.result;
    }

    // Under lock, so that the order calls are written to Redis in is the order they were made in.
    private <T> void send(Call<T> call, boolean whole) {
        onTheWay++;
        CompletionStage<T> answer = whole ? script.whole(call.redis, call.type, call.keys, call.args)
                : script.bySha(call.redis, call.type, call.keys, call.args);
        answer.whenComplete((value, error) -> answered(call, value, error));
    }

    private <T> void answered(Call<T> call, T value, Throwable error) {
        boolean noScript = error != null && Script.isNoScript(error);
        synchronized (lock) {
            onTheWay--;
            if (noScript) {
                recovering = true;
                failed.add(call);
            }
            if (recovering && onTheWay == 0) {
                resend();
            }
        }
        if (noScript) {
            return;
        }
        if (error != null) {
            call.result.completeExceptionally(Script.cause(error));
        } else {
            call.result.complete(value);
        }
    }

    // Under lock, with nothing on the way: the calls that failed and those held, whole, in order.
    private void resend() {
        List<Call<?>> again = new ArrayList<>(failed);
        again.addAll(held);
        again.sort(Comparator.comparingLong(call -> call.order));
        failed.clear();
        held.clear();
        recovering = false;
        again.forEach(call -> send(call, true));
    }

    @Override
    public String toString() {
        return script.toString();
    }

    private static final class Call<T> {
        final RedisClusterAsyncCommands<String, String> redis;
        final ScriptOutputType type;
        final String[] keys;
        final String[] args;
        final CompletableFuture<T> result = new CompletableFuture<>();
        long order;

        Call(RedisClusterAsyncCommands<String, String> redis, ScriptOutputType type, String[] keys, String[] args) {
            this.redis = redis;
            this.type = type;
            this.keys = keys;
            this.args = args;
        }
    }
}
