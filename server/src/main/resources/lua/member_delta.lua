-- KEYS: the room's members hash, this node's rooms set. ARGV: node id, delta, room.
-- Returns the room's members on every node.
local n = redis.call('HINCRBY', KEYS[1], ARGV[1], ARGV[2])
if n <= 0 then redis.call('HDEL', KEYS[1], ARGV[1]) else redis.call('SADD', KEYS[2], ARGV[3]) end
return sum(KEYS[1])
