// wslab demo client: plain JS, no build. It shows the node it is on, keeps the shared counter and a
// chat of one room, reconnects by itself with exponential backoff and full jitter (so a node's
// clients do not come back in lockstep), and resumes the room from the last seq it saw, so the chat
// has no gap and no duplicate after its node dies. The protocol is docs/PROTOCOL.md.
(function () {
  'use strict';
  const params = new URLSearchParams(location.search);
  const room = params.get('room') || 'demo';
  const nickname = params.get('name') || 'guest-' + Math.floor(Math.random() * 1000);
  const url = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws';
  const $ = id => document.getElementById(id);

  let socket = null;
  let lastSeq = null;       // highest message seq shown; null until the first join
  let attempt = 0;
  let reconnects = 0;
  let moveAfter = null;
  let node = null;

  // Exposed for the browser test and for the curious: what this page currently believes.
  window.wslab = { state: 'connecting', node: null, counter: null, lastSeq: null, messages: [], reconnects: 0 };

  function setState(state, text) {
    window.wslab.state = state;
    const el = $('connection');
    el.dataset.state = state;
    el.textContent = text;
    for (const id of ['incr', 'text', 'send']) $(id).disabled = state !== 'open';
  }

  function send(command) {
    if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(command));
  }

  function connect() {
    setState('connecting', attempt ? 'reconnecting (attempt ' + attempt + ')…' : 'connecting…');
    // The room in the URL is what HAProxy's affinity policy hashes (:8083); a reconnect also names the
    // node it was on: the nodes count where reconnects land (PROTOCOL.md).
    socket = new WebSocket(url + '?room=' + encodeURIComponent(room) + (node ? '&previous=' + encodeURIComponent(node) : ''));
    socket.onmessage = event => handle(JSON.parse(event.data));
    socket.onclose = event => {
      const reason = event.reason ? ' — ' + event.reason : '';
      // Full jitter: anywhere between 0 and the exponential cap, never more than 10 s. A node that
      // asked us to move (a rebalance) already drew our delay: use it.
      const delay = moveAfter !== null ? moveAfter : Math.random() * Math.min(10000, 250 * Math.pow(2, attempt));
      moveAfter = null;
      attempt++;
      setState('reconnecting', 'disconnected (' + event.code + reason + '), retrying in ' + Math.round(delay) + ' ms');
      setTimeout(connect, delay);
    };
  }

  function handle(e) {
    switch (e.type) {
      case 'welcome': {
        if (node !== null) {
          reconnects++;
          window.wslab.reconnects = reconnects;
          $('reconnects').textContent = reconnects + (e.node === node ? ' (same node)' : ' (was ' + node + ')');
        }
        node = e.node;
        attempt = 0;
        window.wslab.node = node;
        $('node').textContent = e.node;
        $('lb').textContent = e.lb === 'direct' ? 'direct to the node' : 'HAProxy ' + e.lb;
        $('session').textContent = e.session;
        $('room').textContent = room;
        refreshCluster();
        const join = { type: 'join', room: room };
        if (lastSeq !== null) join.since = lastSeq;
        send(join);
        break;
      }
      case 'joined':
        setState('open', 'connected to ' + node);
        showCounter(e.counter);
        $('members').textContent = e.members;
        if (lastSeq !== null && lastSeq > e.seq) {
          notice('the room was reset: its history starts again');
          lastSeq = e.seq;
        } else if (e.missed > 0) {
          notice(e.missed + ' message(s) happened while away and are no longer in the history');
          lastSeq = e.seq - e.resumed;
        } else if (lastSeq === null || e.resumed === undefined) {
          lastSeq = e.seq;
        } else if (e.resumed > 0) {
          notice('resumed: ' + e.resumed + ' missed message(s) follow');
        }
        window.wslab.lastSeq = lastSeq;
        break;
      case 'message':
        if (lastSeq !== null && e.seq <= lastSeq) break; // already shown
        lastSeq = e.seq;
        window.wslab.lastSeq = lastSeq;
        showMessage(e);
        break;
      case 'counter':
        showCounter(e.counter);
        break;
      case 'presence':
        $('members').textContent = e.members;
        break;
      case 'error':
        notice('error ' + e.code + ': ' + e.message);
        break;
      case 'move':
        // The sticky cookie names the node that wants us gone: without it, HAProxy places us afresh.
        document.cookie = 'WSLABNODE=; Max-Age=0; path=/';
        moveAfter = e.retryAfterMs;
        notice('node ' + e.node + ' asked us to move (' + e.reason + '): reconnecting in ' + e.retryAfterMs + ' ms');
        break;
      default:
        break;
    }
  }

  function showCounter(value) {
    window.wslab.counter = value;
    $('counter').textContent = value;
  }

  function showMessage(e) {
    const body = e.body || {};
    window.wslab.messages.push({ seq: e.seq, text: body.text, from: body.from, node: e.node });
    const li = document.createElement('li');
    li.dataset.seq = e.seq;
    li.innerHTML = '<span class="seq"></span> <span class="from"></span>: <span class="text"></span>';
    li.querySelector('.seq').textContent = '#' + e.seq + ' via ' + e.node;
    li.querySelector('.from').textContent = body.from || '?';
    li.querySelector('.text').textContent = typeof body.text === 'string' ? body.text : JSON.stringify(body);
    appendLine(li);
  }

  function notice(text) {
    const li = document.createElement('li');
    li.className = 'notice';
    li.textContent = text;
    appendLine(li);
  }

  function appendLine(li) {
    const chat = $('chat');
    chat.appendChild(li);
    chat.scrollTop = chat.scrollHeight;
  }

  async function refreshCluster() {
    try {
      const response = await fetch('/api/cluster', { cache: 'no-store' });
      const cluster = await response.json();
      const body = $('cluster').querySelector('tbody');
      body.innerHTML = '';
      for (const n of cluster.nodes) {
        const tr = document.createElement('tr');
        if (n.node === node) tr.className = 'you';
        tr.innerHTML = '<td></td><td></td><td></td>';
        tr.children[0].textContent = n.node;
        tr.children[1].textContent = n.connections;
        tr.children[2].textContent = (n.node === node ? 'you' : '') + (n.draining ? ' draining' : '');
        body.appendChild(tr);
      }
    } catch (err) {
      // The node we reach may be down for a moment: the next refresh tries again.
    }
  }

  $('incr').addEventListener('click', () => send({ type: 'incr', room: room }));
  $('say').addEventListener('submit', event => {
    event.preventDefault();
    const text = $('text').value.trim();
    if (!text) return;
    send({ type: 'publish', room: room, body: { text: text, from: nickname } });
    $('text').value = '';
  });

  connect();
  refreshCluster();
  setInterval(refreshCluster, 2000);
})();
