-- KEYS: nodes set, the node's hash, the node's rooms set. ARGV: node id, '1' to forget the node only if its
-- heartbeat has expired (reaping it: it may have come back meanwhile), '0' to forget it regardless.
-- Runs after the caller dropped the node's fields from every room's member count. Returns 1 if the
-- node was forgotten.
if ARGV[2] == '1' and redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
redis.call('DEL', KEYS[2], KEYS[3])
redis.call('SREM', KEYS[1], ARGV[1])
return 1
