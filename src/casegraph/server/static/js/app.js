// Shared helpers: requests with the CSRF token, job polling, safe DOM building.
// Text from documents is only ever set with textContent, never as markup.

export function csrfToken() {
  const meta = document.querySelector('meta[name="csrf-token"]');
  return meta ? meta.getAttribute('content') : '';
}

export async function request(method, url, body) {
  const options = { method, headers: { 'X-CSRF-Token': csrfToken(), Accept: 'application/json' }, credentials: 'same-origin' };
  if (body instanceof FormData) {
    options.body = body;
  } else if (body !== undefined) {
    options.headers['Content-Type'] = 'application/json';
    options.body = JSON.stringify(body);
  }
  const response = await fetch(url, options);
  let data = null;
  try { data = await response.json(); } catch (e) { data = null; }
  if (!response.ok) {
    const detail = data && data.detail ? data.detail : response.statusText;
    throw new Error(`${response.status}: ${detail}`);
  }
  return data;
}

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === 'text') node.textContent = value;
    else if (key === 'href') node.setAttribute('href', safeHref(value));
    else node.setAttribute(key, value);
  }
  for (const child of children) {
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

// Only links inside this site: never javascript: or another origin.
export function safeHref(value) {
  const text = String(value);
  return text.startsWith('/') && !text.startsWith('//') ? text : '#';
}

export function spanLink(ev) {
  return `/doc/${encodeURIComponent(ev.doc_id)}#${ev.start}-${ev.end}`;
}

// Poll a job until it ends; `update` gets each state.
export async function pollJob(id, update) {
  for (;;) {
    const job = await request('GET', `/api/jobs/${encodeURIComponent(id)}`);
    update(job);
    if (job.status === 'done' || job.status === 'failed') return job;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

export function showJob(job) {
  const box = document.getElementById('job');
  if (!box) return;
  box.hidden = false;
  const bar = document.getElementById('job-progress');
  bar.max = Math.max(job.total, 1);
  bar.value = job.done;
  const step = document.getElementById('job-step');
  step.textContent = `${job.status}${job.step ? ': ' + job.step : ''}${job.error ? ' — ' + job.error : ''}`;
  const errors = document.getElementById('job-errors');
  errors.replaceChildren(...job.errors.map((e) => el('li', { text: `${e.path}: ${e.status} — ${e.reason}` })));
  const result = document.getElementById('job-result');
  if (result && job.result) result.textContent = JSON.stringify(job.result, null, 2);
}

// Mentions of resolved entities in a document open the entity's page.
document.addEventListener('click', (event) => {
  const target = event.target instanceof Element ? event.target.closest('[data-entity]') : null;
  if (target && target.closest('#doc-text') && !window.getSelection().toString()) {
    window.location.href = `/entity/${encodeURIComponent(target.dataset.entity)}`;
  }
});
