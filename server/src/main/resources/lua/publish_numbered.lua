-- Numbers a room event, keeps it in the room's history and publishes it, as one step.
-- KEYS: number, channel, history, fence. ARGV: the envelope head's prefix, frame prefix, frame suffix, 1 if
-- the number is the message seq, history length, history ttl ms, now (epoch ms), the envelope head's
-- suffix, the command that publishes (PUBLISH, or SPUBLISH on a cluster: the channel is KEYS[2], in the
-- room's slot like the other keys), the fence's jump (0: no fence). The frame and the envelope's head are each a template with one hole (Java's FrameTemplate
-- and Envelope.head): this script only fills the holes, the formats are defined there. A message enters the history
-- in the same step as it is numbered and published, so a resuming client never finds a hole
-- between them. The history is trimmed by length (MAXLEN) and by age: entries older than the ttl
-- go, oldest first, a bounded number per publish (each publish continues where the last stopped);
-- a room quiet for the whole ttl loses its history at once (PEXPIRE).
-- The fence (on a Redis Cluster): replication is asynchronous, so a replica that takes over from a
-- dead master (or a master restarted on an AOF a second behind) may lack the last seqs it gave out,
-- which clients already received. Numbering on from there would hand those seqs to new messages,
-- and every client that had the old ones would drop the new ones as duplicates: a silent loss. So
-- the seq key remembers which Redis process (run_id) numbered last; a different one jumps the seq
-- past anything the lost tail can hold, and the jump reaches clients as a gap that a resume
-- reports as missed (docs/PROTOCOL.md).
if ARGV[10] ~= '0' and ARGV[4] == '1' then
  local me = string.match(redis.call('INFO', 'server'), 'run_id:(%x+)')
  local last = redis.call('GET', KEYS[4])
  if last ~= me then
    if last then redis.call('INCRBY', KEYS[1], ARGV[10]) end
    redis.call('SET', KEYS[4], me)
  end
end
local n = redis.call('INCR', KEYS[1])
local seq = 0
if ARGV[4] == '1' then seq = n end
local frame = ARGV[2] .. n .. ARGV[3]
if seq > 0 and tonumber(ARGV[5]) > 0 then
  redis.call('XADD', KEYS[3], 'MAXLEN', ARGV[5], n .. '-0', 'f', frame, 't', ARGV[7])
  local cutoff = tonumber(ARGV[7]) - tonumber(ARGV[6])
  local oldest = redis.call('XRANGE', KEYS[3], '-', '+', 'COUNT', 1)
  if #oldest > 0 and tonumber(oldest[1][2][4] or ARGV[7]) < cutoff then
    local batch = redis.call('XRANGE', KEYS[3], '-', '+', 'COUNT', 128)
    local keep = nil
    for _, e in ipairs(batch) do
      if tonumber(e[2][4] or ARGV[7]) >= cutoff then keep = e[1] break end
    end
    if keep == nil then
      keep = (tonumber(string.match(batch[#batch][1], '^(%d+)')) + 1) .. '-0'
    end
    redis.call('XTRIM', KEYS[3], 'MINID', keep)
  end
  redis.call('PEXPIRE', KEYS[3], ARGV[6])
end
redis.call(ARGV[9], KEYS[2], ARGV[1] .. seq .. ARGV[8] .. frame)
return n
