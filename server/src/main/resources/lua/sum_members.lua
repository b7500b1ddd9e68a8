-- Sums a room's members hash: one field per node, so a dead node's count can be dropped whole.
local function sum(key)
  local total = 0
  for _, v in ipairs(redis.call('HVALS', key)) do total = total + tonumber(v) end
  return total
end
