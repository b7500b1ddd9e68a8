-- KEYS: the room's members hash. ARGV: node id, delta. Returns the room's members on every node.
-- (The node's list of rooms it has a field in is another slot's key: the caller adds the room to it
-- before the first increment, so a node that dies in between leaves at most a room with no field.)
local n = redis.call('HINCRBY', KEYS[1], ARGV[1], ARGV[2])
if n <= 0 then redis.call('HDEL', KEYS[1], ARGV[1]) end
return sum(KEYS[1])
