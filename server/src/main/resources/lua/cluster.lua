-- KEYS: nodes set. ARGV: prefix of node keys. Returns id, connections, startedAt, draining of each
-- node whose heartbeat has not expired, flat.
local out = {}
for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local h = redis.call('HMGET', ARGV[1] .. id, 'connections', 'startedAt', 'draining')
  if h[1] then
    table.insert(out, id); table.insert(out, h[1]); table.insert(out, h[2]); table.insert(out, h[3] or '0')
  end
end
return out
