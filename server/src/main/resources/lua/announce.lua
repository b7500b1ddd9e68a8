-- KEYS: nodes set, this node's hash. ARGV: node id, ttl ms, connections, startedAt, draining, prefix
-- of node keys, suffix of node-rooms sets, prefix of rooms. Reaps nodes whose hash has expired.
redis.call('HSET', KEYS[2], 'connections', ARGV[3], 'startedAt', ARGV[4], 'draining', ARGV[5])
redis.call('PEXPIRE', KEYS[2], ARGV[2])
redis.call('SADD', KEYS[1], ARGV[1])
for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  if redis.call('EXISTS', ARGV[6] .. id) == 0 then
    local rooms = ARGV[6] .. id .. ARGV[7]
    for _, room in ipairs(redis.call('SMEMBERS', rooms)) do
      redis.call('HDEL', ARGV[8] .. room .. ':members', id)
    end
    redis.call('DEL', rooms)
    redis.call('SREM', KEYS[1], id)
  end
end
return 1
