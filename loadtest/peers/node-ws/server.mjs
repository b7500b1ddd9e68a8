// The Node.js peer: wslab's room protocol (the subset the bench uses) on ws + ioredis, written the
// way a Node.js developer would write it with those two libraries. See README.md.
//
//   node server.mjs --port 9300 --redis 127.0.0.1:6379 [--host 127.0.0.1] [--node-id node-peer] [--prefix nodepeer]

import { createServer } from 'node:http';
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { WebSocketServer, WebSocket } from 'ws';
import Redis from 'ioredis';

// ---- configuration ---------------------------------------------------------------------------

const USAGE = 'usage: node server.mjs --port N --redis HOST:PORT [--host 127.0.0.1] [--node-id node-peer] [--prefix nodepeer]';

function config() {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string' },
        host: { type: 'string', default: '127.0.0.1' },
        redis: { type: 'string' },
        'node-id': { type: 'string', default: 'node-peer' },
        prefix: { type: 'string', default: 'nodepeer' },
      },
      strict: true,
    }));
  } catch (err) {
    usage(err.message);
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) usage('--port N (1-65535) is required');
  const redis = /^(.+):(\d+)$/.exec(values.redis ?? '');
  if (!redis) usage('--redis HOST:PORT is required');
  return {
    port,
    host: values.host,
    redisHost: redis[1].replace(/^\[(.*)\]$/, '$1'), // [::1]:6379 → ::1
    redisPort: Number(redis[2]),
    redisAddress: values.redis,
    nodeId: values['node-id'],
    prefix: values.prefix,
  };
}

function usage(problem) {
  process.stderr.write(`${problem}\n${USAGE}\n`);
  process.exit(2);
}

const cfg = config();

// Same limits and timings as a wslab node's defaults.
const MAX_FRAME_BYTES = 64 * 1024;
const MAX_ROOMS_PER_CONNECTION = 100;
const PING_INTERVAL_MS = 15_000;
const PING_TIMEOUT_MS = 45_000;
const ROOM_NAME = /^[A-Za-z0-9_.:-]{1,64}$/;

// Keys and channels under a prefix of their own: the peer may share a Redis with wslab nodes,
// whose bus payloads (PROTOCOL.md, "On the bus") are not client frames.
const channelOf = (room) => `${cfg.prefix}:room:${room}`;
const seqKeyOf = (room) => `${cfg.prefix}:room:${room}:seq`;
const channelHead = `${cfg.prefix}:room:`;

// ---- logging: one key=value line per lifecycle event, never per message ----------------------

function log(event, fields = {}) {
  let line = `event=${event}`;
  for (const [k, v] of Object.entries(fields)) {
    const s = String(v);
    line += ` ${k}=${/^[^\s"=]+$/.test(s) ? s : JSON.stringify(s)}`;
  }
  process.stdout.write(line + '\n');
}

// ---- Redis: one connection for commands, one in subscriber mode ------------------------------

function redisConnection(role) {
  const redis = new Redis({
    host: cfg.redisHost,
    port: cfg.redisPort,
    lazyConnect: true,
    connectionName: `${cfg.nodeId}-${role}`,
  });
  redis.on('ready', () => log('redis_ready', { conn: role, redis: cfg.redisAddress }));
  redis.on('error', (err) => log('redis_error', { conn: role, error: err.message }));
  redis.on('reconnecting', (ms) => log('redis_reconnecting', { conn: role, in_ms: ms }));
  return redis;
}

const cmd = redisConnection('cmd');
const sub = redisConnection('sub');

// ---- rooms -----------------------------------------------------------------------------------

/**
 * room name → { members: Set<WebSocket>, pending: joins waiting for the SUBSCRIBE, ready: the
 * SUBSCRIBE's promise, seq: the last seq delivered here }. A room exists while it has local members
 * (or joins in flight); its channel is subscribed for exactly that long.
 */
const rooms = new Map();

function openRoom(name) {
  const room = { members: new Set(), pending: 0, seq: 0, ready: null };
  room.ready = sub.subscribe(channelOf(name)).catch((err) => {
    if (rooms.get(name) === room) rooms.delete(name); // the next join tries again
    throw err;
  });
  rooms.set(name, room);
  return room;
}

function closeRoomIfEmpty(name, room) {
  if (room.members.size > 0 || room.pending > 0 || rooms.get(name) !== room) return;
  rooms.delete(name);
  sub.unsubscribe(channelOf(name)).catch(() => {}); // a lost connection drops its subscriptions anyway
}

// A message published by any peer on this Redis: forward the frame as it is to the local members.
sub.on('message', (channel, frame) => {
  if (!channel.startsWith(channelHead)) return;
  const room = rooms.get(channel.slice(channelHead.length));
  if (!room) return;
  // Every frame here was built by publish() below: {"type":"message","room":…,"seq":S,…}.
  const at = frame.indexOf('"seq":');
  if (at > 0) room.seq = parseInt(frame.slice(at + 6, at + 26), 10) || room.seq;
  for (const ws of room.members) {
    if (ws.readyState === WebSocket.OPEN) ws.send(frame);
  }
});

// ---- protocol --------------------------------------------------------------------------------

const MEANING = {
  bad_json: 'the frame is not a JSON object',
  unknown_type: 'the type is not one of join, leave, publish',
  missing_field: 'a required field is missing or has the wrong kind',
  bad_room: 'room names are 1-64 characters of A-Z a-z 0-9 _ - . :',
  bad_id: 'ids are strings of at most 64 characters',
  not_joined: 'join the room first',
  already_joined: 'this connection is in the room already',
  too_many_rooms: 'this connection is in as many rooms as it may be',
  unavailable: 'the shared bus (Redis) is unreachable; nothing was published',
};

// Field order is part of the format (PROTOCOL.md): type first, id last where it is optional.
function sendError(ws, code, message = MEANING[code], id) {
  send(ws, id === undefined ? { type: 'error', code, message } : { type: 'error', code, message, id });
}

function send(ws, event) {
  if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(event));
}

/** Per socket: the rooms it is in (or joining), each mapped to a token of that join. */
const socketRooms = new WeakMap();

function onFrame(ws, data) {
  let command;
  try {
    command = JSON.parse(data.toString());
  } catch {
    return sendError(ws, 'bad_json');
  }
  if (command === null || typeof command !== 'object' || Array.isArray(command)) return sendError(ws, 'bad_json');

  const { id } = command;
  if (id !== undefined && (typeof id !== 'string' || id.length > 64)) return sendError(ws, 'bad_id');
  if (typeof command.type !== 'string') return sendError(ws, 'missing_field', 'type is missing', id);
  if (!['join', 'leave', 'publish'].includes(command.type)) {
    return sendError(ws, 'unknown_type', `unknown type ${command.type}: the Node.js peer speaks join, leave, publish`, id);
  }
  const { room } = command;
  if (typeof room !== 'string') return sendError(ws, 'missing_field', 'room is missing', id);
  if (!ROOM_NAME.test(room)) return sendError(ws, 'bad_room', MEANING.bad_room, id);

  switch (command.type) {
    case 'join':
      return join(ws, room, id);
    case 'leave':
      return leave(ws, room, id);
    case 'publish':
      if (command.body === undefined || command.body === null) return sendError(ws, 'missing_field', 'body is missing', id);
      return publish(ws, room, command.body, id);
  }
}

async function join(ws, name, id) {
  const mine = socketRooms.get(ws);
  if (mine.has(name)) return sendError(ws, 'already_joined', `already in room ${name}`, id);
  if (mine.size >= MAX_ROOMS_PER_CONNECTION) return sendError(ws, 'too_many_rooms', MEANING.too_many_rooms, id);
  const token = {};
  mine.set(name, token);
  const room = rooms.get(name) ?? openRoom(name);
  room.pending++;
  try {
    await room.ready; // messages are forwarded only once the channel is subscribed
  } catch {
    room.pending--;
    if (mine.get(name) === token) mine.delete(name);
    closeRoomIfEmpty(name, room);
    return sendError(ws, 'unavailable', 'the shared bus (Redis) is unreachable; not joined', id);
  }
  room.pending--;
  if (mine.get(name) !== token || ws.readyState !== WebSocket.OPEN) {
    return closeRoomIfEmpty(name, room); // left or closed while the SUBSCRIBE was in flight
  }
  room.members.add(ws);
  const joined = { type: 'joined', room: name, seq: room.seq, counter: 0, members: room.members.size };
  if (id !== undefined) joined.id = id;
  send(ws, joined);
}

function leave(ws, name, id) {
  if (!socketRooms.get(ws).delete(name)) return sendError(ws, 'not_joined', `not in room ${name}`, id);
  const room = rooms.get(name);
  if (room) {
    room.members.delete(ws);
    closeRoomIfEmpty(name, room);
  }
  send(ws, id === undefined ? { type: 'left', room: name } : { type: 'left', room: name, id });
}

async function publish(ws, name, body, id) {
  let seq;
  try {
    seq = await cmd.incr(seqKeyOf(name)); // one sequence per room for every peer on this Redis
    const frame = JSON.stringify({ type: 'message', room: name, seq, node: cfg.nodeId, sentAt: Date.now(), body });
    await cmd.publish(channelOf(name), frame);
  } catch {
    if (id !== undefined) sendError(ws, 'unavailable', MEANING.unavailable, id);
    return;
  }
  if (id !== undefined) send(ws, { type: 'ack', id, room: name, seq });
}

function onClose(ws) {
  const mine = socketRooms.get(ws);
  for (const name of mine.keys()) {
    const room = rooms.get(name);
    if (room) {
      room.members.delete(ws);
      closeRoomIfEmpty(name, room);
    }
  }
  mine.clear();
}

// ---- HTTP and WebSocket server ---------------------------------------------------------------

let stopping = false;

const server = createServer((req, res) => {
  const path = new URL(req.url, 'http://peer').pathname;
  const [status, text] = path === '/ws' ? [400, 'expected a WebSocket upgrade'] : [404, 'not found'];
  res.writeHead(status, { 'Content-Type': 'text/plain', Connection: 'close' }).end(text + '\n');
});

// perMessageDeflate is off by default for ws servers; said here so that nobody wonders.
const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: MAX_FRAME_BYTES });

server.on('upgrade', (req, socket, head) => {
  socket.on('error', () => socket.destroy());
  let path;
  try {
    path = new URL(req.url, 'http://peer').pathname;
  } catch {
    path = null;
  }
  if (path !== '/ws' || stopping) {
    const [status, text] = stopping ? ['503 Service Unavailable', 'node shutting down'] : ['404 Not Found', 'not found'];
    socket.end(`HTTP/1.1 ${status}\r\nContent-Type: text/plain\r\nContent-Length: ${text.length + 1}\r\nConnection: close\r\n\r\n${text}\n`);
    return;
  }
  wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
});

wss.on('connection', (ws) => {
  socketRooms.set(ws, new Map());
  ws.lastHeard = Date.now();
  ws.on('message', (data, isBinary) => {
    ws.lastHeard = Date.now();
    if (isBinary) return ws.close(1003, 'binary frames are not supported; send JSON text');
    onFrame(ws, data);
  });
  ws.on('pong', () => {
    ws.lastHeard = Date.now();
  });
  ws.on('error', () => {}); // a protocol error (bad UTF-8, frame too large) closes the socket; 'close' follows
  ws.on('close', () => onClose(ws));
  send(ws, { type: 'welcome', node: cfg.nodeId, session: randomUUID(), lb: 'direct' });
});

// Keepalive as on a wslab node: a ping every 15 s, a socket silent for 45 s is closed.
const heartbeat = setInterval(() => {
  const now = Date.now();
  for (const ws of wss.clients) {
    if (now - ws.lastHeard > PING_TIMEOUT_MS) ws.close(4001, 'ping timeout');
    else ws.ping();
  }
}, PING_INTERVAL_MS);
heartbeat.unref();

// ---- lifecycle -------------------------------------------------------------------------------

async function stop(signal) {
  if (stopping) {
    log('exit', { code: 1, reason: `second ${signal}` });
    process.exit(1);
  }
  stopping = true;
  log('stopping', { signal, connections: wss.clients.size });
  clearInterval(heartbeat);
  for (const ws of wss.clients) ws.close(1001, 'node shutting down');
  setTimeout(() => {
    for (const ws of wss.clients) ws.terminate();
  }, 1000).unref();
  const closed = new Promise((resolve) => server.close(resolve));
  wss.close();
  await Promise.allSettled([cmd.quit(), sub.quit()]);
  await closed;
  log('stopped', { node: cfg.nodeId });
}

process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));

// Redis first, then the port: once the port accepts connections the peer is ready.
log('starting', { node: cfg.nodeId, redis: cfg.redisAddress, pid: process.pid, node_version: process.version });
try {
  await Promise.all([cmd.connect(), sub.connect()]);
} catch (err) {
  log('exit', { code: 1, reason: `redis unreachable at ${cfg.redisAddress}: ${err.message}` });
  cmd.disconnect();
  sub.disconnect();
  process.exit(1);
}
server.on('error', (err) => {
  log('exit', { code: 1, reason: `listen failed: ${err.message}` });
  process.exit(1);
});
server.listen(cfg.port, cfg.host, () => {
  log('listening', { host: cfg.host, port: cfg.port, path: '/ws', redis: cfg.redisAddress, node: cfg.nodeId, prefix: cfg.prefix });
});
