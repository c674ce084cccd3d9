// Corrections on the entity page: merge (pick the other entity by name), rename, split,
// delete, undo. Each is a POST with the CSRF token; the page reloads on success.
import { request } from './app.js';

const box = document.getElementById('corrections');
if (box) {
  const entityId = box.dataset.entity;
  const status = document.getElementById('correction-status');
  const run = async (label, method, url, body, then) => {
    status.textContent = `${label}…`;
    try {
      const result = await request(method, url, body);
      status.textContent = `${label}: done`;
      if (then) then(result); else window.location.reload();
    } catch (err) {
      status.textContent = `${label} failed: ${err.message}`;
    }
  };

  let candidate = null;
  document.getElementById('merge-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const name = document.getElementById('merge-other').value;
    try {
      candidate = await request('GET', `/api/entity?name=${encodeURIComponent(name)}`);
      if (candidate.id === entityId) throw new Error('that is this entity');
      document.getElementById('merge-candidate').textContent =
        `${candidate.name} (${candidate.type}, ${candidate.mentions} mentions, ${candidate.id})`;
      document.getElementById('merge-confirm').hidden = false;
    } catch (err) {
      status.textContent = `no entity found: ${err.message}`;
    }
  });
  document.getElementById('merge-do').addEventListener('click', () => {
    if (candidate) run('merge', 'POST', '/api/corrections/merge', { ids: [entityId, candidate.id] });
  });
  document.getElementById('rename-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const form = new FormData(event.target);
    run('rename', 'POST', `/api/entities/${encodeURIComponent(entityId)}/rename`, {
      name: form.get('name'), type: form.get('type') || null,
    });
  });
  const split = document.getElementById('split-form');
  if (split) {
    split.addEventListener('submit', (event) => {
      event.preventDefault();
      const aliases = new FormData(event.target).getAll('alias');
      if (!aliases.length) { status.textContent = 'tick the aliases to split out'; return; }
      run('split', 'POST', `/api/entities/${encodeURIComponent(entityId)}/split`, { aliases });
    });
  }
  document.getElementById('delete-form').addEventListener('submit', (event) => {
    event.preventDefault();
    run('delete', 'POST', `/api/entities/${encodeURIComponent(entityId)}/delete`, undefined,
      () => { window.location.href = '/entities'; });
  });
  for (const button of document.querySelectorAll('button.undo')) {
    button.addEventListener('click', () => run('undo', 'POST', `/api/corrections/${encodeURIComponent(button.dataset.id)}/undo`));
  }
}
