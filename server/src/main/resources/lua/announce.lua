-- KEYS: nodes set, this node's hash. ARGV: node id, ttl ms, connections, startedAt, draining, prefix
-- of node keys. Beats this node's heart and returns every node whose heartbeat expired, each as its
-- id, how many rooms it had members in, then those rooms (flat). It deletes nothing: the rooms'
-- member counts live in the rooms' own slots, so the caller drops the dead node's fields there and
-- then forgets it (forget_node.lua). Every key here shares the prefix's hash tag: one slot.
redis.call('HSET', KEYS[2], 'connections', ARGV[3], 'startedAt', ARGV[4], 'draining', ARGV[5])
redis.call('PEXPIRE', KEYS[2], ARGV[2])
redis.call('SADD', KEYS[1], ARGV[1])
local dead = {}
for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  if redis.call('EXISTS', ARGV[6] .. id) == 0 then
    local rooms = redis.call('SMEMBERS', ARGV[6] .. id .. ':rooms')
    table.insert(dead, id)
    table.insert(dead, tostring(#rooms))
    for _, room in ipairs(rooms) do table.insert(dead, room) end
  end
end
return dead
