// The document page: highlight layers on and off; /doc/ID#START-END scrolls to that span
// and marks it. Offsets are Python's (code points), so text is split with Array.from.
import { request, pollJob } from './app.js';

const text = document.getElementById('doc-text');

for (const box of document.querySelectorAll('#layers input[data-layer]')) {
  const apply = () => text.classList.toggle(`off-${box.dataset.layer}`, !box.checked);
  box.addEventListener('change', apply);
  apply();
}

function clearTarget() {
  for (const old of text.querySelectorAll('.target')) old.classList.remove('target');
}

function showSpan() {
  const match = /^#(\d+)-(\d+)$/.exec(window.location.hash);
  if (!match) return;
  const start = Number(match[1]);
  const end = Number(match[2]);
  clearTarget();
  let first = null;
  for (const piece of Array.from(text.children)) {
    const s = Number(piece.dataset.s);
    const chars = Array.from(piece.textContent);
    const e = s + chars.length;
    if (e <= start || s >= end) continue;
    const a = Math.max(start, s) - s;
    const b = Math.min(end, e) - s;
    if (a > 0 || b < chars.length) {
      // split this piece into before / target / after, each keeping the piece's layers
      const parts = [[0, a], [a, b], [b, chars.length]].filter(([x, y]) => y > x);
      const made = parts.map(([x, y]) => {
        const span = piece.cloneNode(false);
        span.dataset.s = String(s + x);
        span.textContent = chars.slice(x, y).join('');
        if (x === a) span.classList.add('target');
        return span;
      });
      piece.replaceWith(...made);
      first = first || made.find((m) => m.classList.contains('target'));
    } else {
      piece.classList.add('target');
      first = first || piece;
    }
  }
  if (first) first.scrollIntoView({ block: 'center' });
}

window.addEventListener('hashchange', showSpan);
showSpan();

const checkButton = document.getElementById('check-this');
if (checkButton) {
  checkButton.addEventListener('click', async () => {
    const status = document.getElementById('check-status');
    checkButton.disabled = true;
    try {
      const job = await request('POST', '/api/check', { article: checkButton.dataset.article });
      const done = await pollJob(job.id, (j) => { status.textContent = `${j.status} ${j.step}`; });
      if (done.status === 'done') window.location.href = `/check/${encodeURIComponent(checkButton.dataset.article)}`;
      else status.textContent = done.error;
    } catch (err) {
      status.textContent = err.message;
    } finally {
      checkButton.disabled = false;
    }
  });
}
