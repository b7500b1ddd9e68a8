-- KEYS: nodes set, the node's hash, the node's rooms set. ARGV: node id, prefix of rooms.
-- Takes a node out of the cluster and out of every room's member count.
for _, room in ipairs(redis.call('SMEMBERS', KEYS[3])) do
  redis.call('HDEL', ARGV[2] .. room .. ':members', ARGV[1])
end
redis.call('DEL', KEYS[2], KEYS[3])
redis.call('SREM', KEYS[1], ARGV[1])
return 1
