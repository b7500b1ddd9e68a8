// Drives the demo page in Debian's headless Chromium for DemoPageIT, which starts the lab and
// kills a node when this script asks for it ("KILL node-x" on stdout, "killed" back on stdin).
// Exits 0 when every step held; otherwise prints why and exits 1.
import { chromium } from 'playwright-core';
import readline from 'node:readline';
import { mkdirSync } from 'node:fs';

const base = process.env.WSLAB_URL;
const shots = process.env.WSLAB_SCREENSHOTS;
const room = 'demo-' + Date.now();
mkdirSync(shots, { recursive: true });
const input = readline.createInterface({ input: process.stdin });
const lines = input[Symbol.asyncIterator]();

function check(condition, what) {
  if (!condition) throw new Error('failed: ' + what);
  console.log('ok   ' + what);
}

const browser = await chromium.launch({
  executablePath: process.env.WSLAB_CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  // Two browser contexts: two users with their own cookies, as two people on two machines.
  const pageA = await (await browser.newContext()).newPage();
  const pageB = await (await browser.newContext()).newPage();
  for (const [page, name] of [[pageA, 'alice'], [pageB, 'bob']]) {
    page.on('pageerror', e => console.log('page error (' + name + '): ' + e));
    await page.goto(base + '/?room=' + room + '&name=' + name);
    await page.waitForFunction(() => window.wslab.state === 'open', null, { timeout: 15000 });
  }
  const state = page => page.evaluate(() => JSON.parse(JSON.stringify(window.wslab)));
  const a0 = await state(pageA);
  const b0 = await state(pageB);
  console.log('alice on ' + a0.node + ', bob on ' + b0.node);
  check(a0.node !== b0.node, 'the two pages landed on different nodes through the sticky frontend (leastconn)');
  check(await pageA.textContent('#lb') === 'HAProxy sticky', 'the page says which frontend it came through');

  await pageA.click('#incr');
  const after = a0.counter + 1;
  for (const page of [pageA, pageB]) {
    await page.waitForFunction(c => window.wslab.counter === c, after, { timeout: 10000 });
  }
  const [a1c, b1c] = [await state(pageA), await state(pageB)];
  check(a1c.counter === after && b1c.counter === after,
      'a click on one page updated the counter on both (' + a0.counter + ' -> ' + a1c.counter + ' and ' + b1c.counter + ')');

  async function say(page, text) {
    await page.fill('#text', text);
    await page.click('#send');
  }
  const seen = (page, text) => page.waitForFunction(t => window.wslab.messages.some(m => m.text === t), text, { timeout: 10000 });
  await say(pageA, 'hello from alice');
  await seen(pageB, 'hello from alice');
  await say(pageB, 'hi alice');
  await seen(pageA, 'hi alice');
  const texts = async page => (await state(page)).messages.map(m => m.text);
  check((await texts(pageB)).includes('hello from alice') && (await texts(pageA)).includes('hi alice'),
      'chat crosses nodes both ways');
  await pageA.screenshot({ path: shots + '/1-alice-before.png', fullPage: true });
  await pageB.screenshot({ path: shots + '/1-bob-before.png', fullPage: true });

  console.log('KILL ' + a0.node);
  const answer = await lines.next();
  check(answer.value === 'killed', a0.node + ' killed');
  // Bob talks while Alice is away: she must get it when she resumes, once.
  await say(pageB, 'while you were away');
  await pageA.waitForFunction(n => window.wslab.state === 'open' && window.wslab.node !== n, a0.node, { timeout: 30000 });
  await seen(pageA, 'while you were away');
  const a1 = await state(pageA);
  console.log('alice reconnected to ' + a1.node + ' after ' + a1.reconnects + ' reconnect(s)');
  check(a1.node !== a0.node && a1.node !== null, 'alice reconnected to another node by herself');
  check(a1.counter === after, 'the counter is unchanged after the reconnect (' + a1.counter + ')');
  const chat = a1.messages.map(m => m.text);
  check(JSON.stringify(chat) === JSON.stringify(['hello from alice', 'hi alice', 'while you were away']),
      'the chat is intact: every message once, in order: ' + JSON.stringify(chat));
  const seqs = a1.messages.map(m => m.seq);
  check(seqs.every((s, i) => i === 0 || s === seqs[i - 1] + 1), 'no gap in the seqs: ' + JSON.stringify(seqs));
  await pageA.screenshot({ path: shots + '/2-alice-after-reconnect.png', fullPage: true });
  await pageB.screenshot({ path: shots + '/2-bob-after.png', fullPage: true });
  console.log('DONE');
} catch (e) {
  console.log(String(e && e.stack || e));
  process.exitCode = 1;
} finally {
  await browser.close();
  input.close();
}
