// A functional check of the Node.js peer, not a load test: starts its own redis-server and two peers
// on free loopback ports, drives a few clients through the protocol, then stops everything.
//
//   npm run check        (needs redis-server on PATH and `npm ci` done)

import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { once } from 'node:events';
import { deepStrictEqual, strictEqual, match } from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'ws';
import Redis from 'ioredis';

const here = fileURLToPath(new URL('.', import.meta.url));
const children = [];
let passed = 0;
let failed = 0;

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Starts a process and resolves once a line of its stdout matches `ready`. */
function start(name, command, args, ready, cwd = here) {
  const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  child.output = '';
  child.stderr.on('data', (d) => (child.output += d));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} not ready in 10 s:\n${child.output}`)), 10_000);
    child.stdout.on('data', (d) => {
      child.output += d;
      if (ready.test(child.output)) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${code}) before it was ready:\n${child.output}`));
    });
  });
}

async function stopChild(child) {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const [code] = await exited;
  return code;
}

/** A client that queues every event it receives; next() takes the oldest (or waits for one). */
async function client(port, path = '/ws') {
  const ws = new WebSocket(`ws://127.0.0.1:${port}${path}`);
  const events = [];
  const waiters = [];
  ws.on('message', (data) => {
    const event = { raw: data.toString(), json: JSON.parse(data.toString()) };
    const w = waiters.shift();
    if (w) w(event);
    else events.push(event);
  });
  await once(ws, 'open');
  ws.next = (ms = 3000) =>
    events.length
      ? Promise.resolve(events.shift())
      : new Promise((resolve, reject) => {
          const t = setTimeout(() => reject(new Error('no event within ' + ms + ' ms')), ms);
          waiters.push((e) => {
            clearTimeout(t);
            resolve(e);
          });
        });
  ws.cmd = (obj) => ws.send(typeof obj === 'string' ? obj : JSON.stringify(obj));
  ws.pending = () => events.length;
  return ws;
}

async function check(name, fn) {
  try {
    await fn();
    passed++;
    console.log(`ok   ${name}`);
  } catch (err) {
    failed++;
    console.log(`FAIL ${name}\n     ${String(err.stack ?? err).split('\n').slice(0, 6).join('\n     ')}`);
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let redis;
try {
  const [redisPort, portA, portB] = [await freePort(), await freePort(), await freePort()];
  const redisServer = await start('redis-server', 'redis-server',
    ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'],
    /Ready to accept connections/);
  const peer = (port, nodeId) => start(nodeId, process.execPath,
    ['server.mjs', '--port', String(port), '--redis', `127.0.0.1:${redisPort}`, '--node-id', nodeId], /event=listening /);
  const [peerA, peerB] = await Promise.all([peer(portA, 'peer-a'), peer(portB, 'peer-b')]);
  redis = new Redis({ host: '127.0.0.1', port: redisPort, lazyConnect: true });
  await redis.connect();

  const a1 = await client(portA);
  const a2 = await client(portA);
  const b1 = await client(portB);

  await check('welcome names the node, a uuid session and lb=direct', async () => {
    const w = await a1.next();
    deepStrictEqual(Object.keys(w.json), ['type', 'node', 'session', 'lb']);
    strictEqual(w.json.type, 'welcome');
    strictEqual(w.json.node, 'peer-a');
    strictEqual(w.json.lb, 'direct');
    match(w.json.session, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    strictEqual((await a2.next()).json.node, 'peer-a');
    strictEqual((await b1.next()).json.node, 'peer-b');
  });

  await check('an upgrade on another path is refused with 404', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${portA}/other`);
    ws.on('error', () => {});
    const [, res] = await once(ws, 'unexpected-response');
    strictEqual(res.statusCode, 404);
    res.resume();
    ws.terminate();
  });

  await check('join answers joined with local members, echoing the id', async () => {
    a1.cmd({ type: 'join', room: 'check', id: 'j1' });
    strictEqual((await a1.next()).raw, '{"type":"joined","room":"check","seq":0,"counter":0,"members":1,"id":"j1"}');
    a2.cmd({ type: 'join', room: 'check' });
    strictEqual((await a2.next()).raw, '{"type":"joined","room":"check","seq":0,"counter":0,"members":2}');
    b1.cmd({ type: 'join', room: 'check' });
    strictEqual((await b1.next()).raw, '{"type":"joined","room":"check","seq":0,"counter":0,"members":1}');
  });

  await check('each peer subscribes the room channel once', async () => {
    deepStrictEqual(await redis.pubsub('NUMSUB', 'nodepeer:room:check'), ['nodepeer:room:check', 2]);
  });

  await check('joining twice is already_joined', async () => {
    a1.cmd({ type: 'join', room: 'check', id: 'j2' });
    const e = await a1.next();
    deepStrictEqual(Object.keys(e.json), ['type', 'code', 'message', 'id']);
    strictEqual(e.json.code, 'already_joined');
    strictEqual(e.json.id, 'j2');
  });

  const body = { t: 1234567890123456, text: 'hé ✓ "quoted"', nested: { x: [1, 2.5, null, true, -0.001] } };
  let first;
  await check('a publish on A reaches members on A and B with one seq and the body verbatim', async () => {
    a1.cmd({ type: 'publish', room: 'check', id: 'p1', body });
    const got = [await a1.next(), await a1.next(), await a2.next(), await b1.next()];
    const ack = got.find((e) => e.json.type === 'ack');
    const messages = got.filter((e) => e.json.type === 'message');
    strictEqual(messages.length, 3);
    deepStrictEqual(Object.keys(ack.json), ['type', 'id', 'room', 'seq']);
    deepStrictEqual(ack.json, { type: 'ack', id: 'p1', room: 'check', seq: 1 });
    for (const m of messages) {
      strictEqual(m.raw, messages[0].raw); // one serialisation, forwarded as it is
      deepStrictEqual(Object.keys(m.json), ['type', 'room', 'seq', 'node', 'sentAt', 'body']);
      deepStrictEqual(m.json.body, body);
      strictEqual(m.json.seq, 1);
      strictEqual(m.json.node, 'peer-a');
      strictEqual(m.json.room, 'check');
    }
    match(messages[0].raw, /,"body":\{"t":1234567890123456,/);
    first = messages[0].json;
  });

  await check('a publish on B continues the same sequence and reaches A', async () => {
    b1.cmd({ type: 'publish', room: 'check', body: { t: 7 } });
    const [m1, m2, m3] = [await a1.next(), await a2.next(), await b1.next()];
    for (const m of [m1, m2, m3]) {
      strictEqual(m.json.seq, first.seq + 1);
      strictEqual(m.json.node, 'peer-b');
      deepStrictEqual(m.json.body, { t: 7 });
    }
  });

  await check('a later join reports the last seq the peer delivered', async () => {
    const a3 = await client(portA);
    await a3.next(); // welcome
    a3.cmd({ type: 'join', room: 'check' });
    strictEqual((await a3.next()).raw, '{"type":"joined","room":"check","seq":2,"counter":0,"members":3}');
    a3.close();
    await once(a3, 'close');
  });

  await check('malformed frames and unknown types are errors, the socket stays open', async () => {
    a1.cmd('{not json');
    strictEqual((await a1.next()).json.code, 'bad_json');
    a1.cmd('[1,2]');
    strictEqual((await a1.next()).json.code, 'bad_json');
    a1.cmd({ type: 'incr', room: 'check', id: 'i1' });
    const unknown = await a1.next();
    strictEqual(unknown.json.code, 'unknown_type');
    strictEqual(unknown.json.id, 'i1');
    a1.cmd({ type: 'publish', room: 'check', id: 'p2' });
    strictEqual((await a1.next()).json.code, 'missing_field');
    a1.cmd({ type: 'join', room: 'bad room!' });
    strictEqual((await a1.next()).json.code, 'bad_room');
    a1.cmd({ type: 'join', room: 'check', id: 42 });
    strictEqual((await a1.next()).json.code, 'bad_id');
    strictEqual(a1.readyState, WebSocket.OPEN);
  });

  await check('leave answers left; leaving again is not_joined', async () => {
    a1.cmd({ type: 'leave', room: 'check', id: 'l1' });
    strictEqual((await a1.next()).raw, '{"type":"left","room":"check","id":"l1"}');
    a1.cmd({ type: 'leave', room: 'check' });
    strictEqual((await a1.next()).json.code, 'not_joined');
  });

  await check('a publish without id is not acked and skips those who left', async () => {
    a1.cmd({ type: 'publish', room: 'check', body: { t: 8 } });
    strictEqual((await a2.next()).json.seq, 3);
    strictEqual((await b1.next()).json.seq, 3);
    await sleep(200);
    strictEqual(a1.pending(), 0);
  });

  await check('the last local member closing unsubscribes the channel', async () => {
    a2.close();
    await once(a2, 'close');
    await sleep(200);
    deepStrictEqual(await redis.pubsub('NUMSUB', 'nodepeer:room:check'), ['nodepeer:room:check', 1]);
  });

  await check('SIGTERM closes sockets with 1001 and the peers exit 0', async () => {
    const closed = once(b1, 'close');
    const codes = await Promise.all([stopChild(peerA), stopChild(peerB)]);
    deepStrictEqual(codes, [0, 0]);
    const [code] = await closed;
    strictEqual(code, 1001);
    match(peerA.output, /event=stopped node=peer-a/);
    match(peerB.output, /event=stopped node=peer-b/);
  });

  a1.terminate();
  await redis.quit();
  redis = null;
  await stopChild(redisServer);
} catch (err) {
  failed++;
  console.log(`FAIL setup\n     ${err.stack ?? err}`);
} finally {
  if (redis) redis.disconnect();
  await Promise.all(children.map(stopChild));
}

console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed === 0 ? 0 : 1;
