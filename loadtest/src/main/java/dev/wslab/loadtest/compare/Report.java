package dev.wslab.loadtest.compare;

/**
 * report.html: one self-contained page (no network, no library) that draws, per experiment and
 * measure, the configurations side by side as SVG bars (median) with min–max whiskers. The data
 * is data.json, embedded. Once drawn, each chart carries {@code data-drawn="1"} and the body the
 * number of charts, which the report test reads in headless Chromium.
 */
final class Report {
    private Report() {}

    static String html(String dataJson) {
        return TEMPLATE.replace("/*DATA*/", dataJson.replace("</", "<\\/"));
    }

    private static final String TEMPLATE = """
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>wslab compare</title>
            <style>
              body { font: 14px/1.4 system-ui, sans-serif; margin: 2em; color: #222; }
              h1 { font-size: 1.5em; } h2 { margin-top: 2em; border-bottom: 1px solid #ccc; }
              .charts { display: flex; flex-wrap: wrap; gap: 1em; }
              figure { margin: 0; width: 300px; } figcaption { font-size: 12px; height: 3em; }
              svg text { font-size: 11px; } .legend span { display: inline-block; margin-right: 1.5em; }
              .swatch { display: inline-block; width: 12px; height: 12px; margin-right: 4px; vertical-align: middle; }
              table { border-collapse: collapse; } td, th { padding: 2px 8px; border: 1px solid #ddd; text-align: right; }
            </style>
            </head>
            <body>
            <h1>wslab compare</h1>
            <div id="meta"></div>
            <div id="experiments"></div>
            <script type="application/json" id="data">/*DATA*/</script>
            <script>
            (function () {
              const data = JSON.parse(document.getElementById('data').textContent);
              const colors = { sticky: '#1f77b4', roundrobin: '#ff7f0e', nobus: '#d62728', weighted: '#2ca02c', rebalance: '#9467bd', nojitter: '#8c564b', affinity: '#e377c2', random: '#17becf' };
              const measures = {};
              data.measures.forEach(m => measures[m.key] = m);
              const meta = document.getElementById('meta');
              const lines = ['Command: ' + data.command];
              Object.keys(data.machine).forEach(k => lines.push(k + ': ' + data.machine[k]));
              lines.push('Bars: median over ' + data.plan.repeats + ' repeats; whiskers: min to max.');
              lines.forEach(l => { const p = document.createElement('div'); p.textContent = l; meta.appendChild(p); });
              const ns = 'http://www.w3.org/2000/svg';
              function el(name, attrs, parent) {
                const e = document.createElementNS(ns, name);
                Object.keys(attrs).forEach(k => e.setAttribute(k, attrs[k]));
                parent.appendChild(e);
                return e;
              }
              function fmt(v) {
                if (v === null || v === undefined) return '—';
                const a = Math.abs(v);
                return a >= 100 || Number.isInteger(v) ? v.toFixed(0) : a >= 10 ? v.toFixed(1) : v.toFixed(2);
              }
              function chart(parent, title, unit, row) {
                const fig = document.createElement('figure');
                const cap = document.createElement('figcaption');
                cap.textContent = title + (unit ? ' (' + unit + ')' : '');
                fig.appendChild(cap);
                const w = 300, h = 170, left = 10, bottom = 20, top = 16;
                const svg = el('svg', { width: w, height: h, class: 'chart', viewBox: '0 0 ' + w + ' ' + h }, fig);
                const configs = Object.keys(row);
                const max = Math.max(1e-9, ...configs.map(c => row[c].max === null ? 0 : row[c].max));
                const slot = (w - left) / configs.length;
                const y = v => top + (h - top - bottom) * (1 - v / max);
                configs.forEach((c, i) => {
                  const s = row[c];
                  const x = left + i * slot + slot * 0.2, bw = slot * 0.6;
                  el('text', { x: x + bw / 2, y: h - 5, 'text-anchor': 'middle' }, svg).textContent = c;
                  if (s.median === null) {
                    el('text', { x: x + bw / 2, y: h - bottom - 4, 'text-anchor': 'middle' }, svg).textContent = 'n/a';
                    return;
                  }
                  el('rect', { x: x, y: y(s.median), width: bw, height: Math.max(1, h - bottom - y(s.median)),
                               fill: colors[c] || '#888', 'data-config': c }, svg);
                  el('line', { x1: x + bw / 2, x2: x + bw / 2, y1: y(s.min), y2: y(s.max), stroke: '#000' }, svg);
                  el('line', { x1: x + bw / 3, x2: x + 2 * bw / 3, y1: y(s.min), y2: y(s.min), stroke: '#000' }, svg);
                  el('line', { x1: x + bw / 3, x2: x + 2 * bw / 3, y1: y(s.max), y2: y(s.max), stroke: '#000' }, svg);
                  el('text', { x: x + bw / 2, y: Math.max(11, y(s.max) - 3), 'text-anchor': 'middle' }, svg).textContent = fmt(s.median);
                });
                el('line', { x1: left, x2: w, y1: h - bottom, y2: h - bottom, stroke: '#999' }, svg);
                svg.setAttribute('data-drawn', '1');
                parent.appendChild(fig);
              }
              // Series over time around the fault: one line per configuration (its first repeat).
              // series: the run's field; vfix: a fixed top of the axis (a share's 100 %), or none.
              function timeline(parent, name, series, caption, vfix, attr) {
                const runs = data.runs.filter(r => r.experiment === name && r.repeat === 1 && r[series] && r[series].length);
                if (!runs.length) return false;
                const fig = document.createElement('figure');
                fig.style.width = '620px';
                const cap = document.createElement('figcaption');
                cap.textContent = caption;
                fig.appendChild(cap);
                const w = 620, h = 220, left = 36, bottom = 22, top = 8, right = 90;
                const svg = el('svg', { width: w, height: h, class: 'timeline', viewBox: '0 0 ' + w + ' ' + h }, fig);
                const pts = runs.flatMap(r => r[series]);
                const t0 = Math.min(0, ...pts.map(p => p[0])), t1 = Math.max(...pts.map(p => p[0]));
                const vmax = vfix || Math.max(0.1, ...pts.map(p => p[1]));
                const x = t => left + (w - left - right) * (t - t0) / Math.max(1e-9, t1 - t0);
                const y = v => top + (h - top - bottom) * (1 - v / vmax);
                el('line', { x1: left, x2: w - right, y1: h - bottom, y2: h - bottom, stroke: '#999' }, svg);
                el('line', { x1: x(0), x2: x(0), y1: top, y2: h - bottom, stroke: '#999', 'stroke-dasharray': '3,3' }, svg);
                el('text', { x: x(0) + 3, y: top + 10 }, svg).textContent = 'fault';
                el('text', { x: left, y: h - 5 }, svg).textContent = fmt(t0) + ' s';
                el('text', { x: w - right, y: h - 5, 'text-anchor': 'end' }, svg).textContent = fmt(t1) + ' s';
                el('text', { x: 2, y: top + 10 }, svg).textContent = fmt(vmax);
                runs.forEach((r, i) => {
                  const c = colors[r.configuration] || '#888';
                  el('polyline', { points: r[series].map(p => x(p[0]) + ',' + y(p[1])).join(' '), fill: 'none', stroke: c,
                                   'stroke-width': 1.5, 'data-config': r.configuration }, svg);
                  el('text', { x: w - right + 6, y: top + 12 + 14 * i, fill: c }, svg).textContent = r.configuration;
                });
                svg.setAttribute(attr, '1');
                parent.appendChild(fig);
                return true;
              }
              const root = document.getElementById('experiments');
              let drawn = 0, timelines = 0, shares = 0;
              Object.keys(data.table).forEach(name => {
                const h2 = document.createElement('h2');
                h2.textContent = name;
                root.appendChild(h2);
                const charts = document.createElement('div');
                charts.className = 'charts';
                root.appendChild(charts);
                if (timeline(charts, name, 'timeline', 'Connection spread (CV over the serving nodes) against seconds since the fault, repeat 1; 0 = even',
                             0, 'data-drawn-timeline')) timelines++;
                if (timeline(charts, name, 'joinedShare', "The joining node's share of new sessions (%), second by second, against seconds since the fault, repeat 1",
                             100, 'data-drawn-share')) shares++;
                const rows = data.table[name];
                Object.keys(rows).forEach(key => { chart(charts, measures[key].label, measures[key].unit, rows[key]); drawn++; });
              });
              document.body.setAttribute('data-charts', String(drawn));
              document.body.setAttribute('data-timelines', String(timelines));
              document.body.setAttribute('data-shares', String(shares));
            })();
            </script>
            </body>
            </html>
            """;
}
