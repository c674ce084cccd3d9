// The graph explorer (cytoscape.js, served from /static/vendor): start from an entity,
// click a node to expand its neighbours, click an edge to read its evidence.
import { request, el, spanLink } from './app.js';

const container = document.getElementById('cy');
const side = document.getElementById('side-body');
const title = document.getElementById('side-title');
const startInput = document.getElementById('graph-start');
const kindSelect = document.getElementById('graph-kind');
const limitInput = document.getElementById('graph-limit');

const cy = window.cytoscape({
  container,
  style: [
    { selector: 'node', style: { label: 'data(label)', 'font-size': 10, 'background-color': '#4a6fa5', width: 'data(size)', height: 'data(size)', color: '#222', 'text-valign': 'bottom', 'text-margin-y': 3 } },
    { selector: 'node[type = "ORG"]', style: { 'background-color': '#b5651d' } },
    { selector: 'node[type = "GPE"]', style: { 'background-color': '#2e8b57' } },
    { selector: 'node.start', style: { 'border-width': 3, 'border-color': '#222' } },
    { selector: 'node.expanded', style: { 'border-width': 2, 'border-color': '#888' } },
    { selector: 'edge', style: { width: 'data(width)', 'line-color': '#bbb', 'curve-style': 'bezier', label: 'data(kind)', 'font-size': 8, color: '#666' } },
    { selector: 'edge[kind = "mentioned_with"]', style: { 'line-style': 'dashed', label: '' } },
    { selector: 'edge:selected', style: { 'line-color': '#d33' } },
  ],
});

const evidence = new Map();

function addNode(entity, degree) {
  if (!cy.getElementById(entity.id).length) {
    cy.add({ group: 'nodes', data: { id: entity.id, label: entity.name || entity.id, type: entity.type || '', size: 18 } });
  }
  if (degree !== undefined) {
    // hubs down-weighted: size grows with the log of the connections shown
    cy.getElementById(entity.id).data('size', 14 + 6 * Math.log1p(degree));
  }
}

async function expand(id) {
  const kind = kindSelect.value;
  const limit = Math.max(1, Math.min(60, Number(limitInput.value) || 12));
  const params = new URLSearchParams({ name: id, limit: String(limit) });
  if (kind) params.set('kind', kind);
  const data = await request('GET', `/api/neighbors?${params}`);
  addNode(data.entity, data.neighbors.length);
  cy.getElementById(data.entity.id).addClass('expanded');
  for (const n of data.neighbors) {
    addNode(n.entity);
    for (const r of n.relations) {
      const edgeId = `${data.entity.id}|${n.entity.id}|${r.kind}`;
      const reverse = `${n.entity.id}|${data.entity.id}|${r.kind}`;
      if (cy.getElementById(edgeId).length || cy.getElementById(reverse).length) continue;
      evidence.set(edgeId, { from: data.entity, to: n.entity, relation: r });
      cy.add({ group: 'edges', data: { id: edgeId, source: data.entity.id, target: n.entity.id, kind: r.kind, width: 1 + Math.min(6, Math.log1p(r.count)) } });
    }
  }
  cy.layout({ name: 'cose', animate: false, fit: true, padding: 20, nodeRepulsion: () => 9000 }).run();
  return data.entity;
}

function showEdge(edgeId) {
  const info = evidence.get(edgeId);
  if (!info) return;
  const r = info.relation;
  title.textContent = `${info.from.name} — ${r.kind} — ${info.to.name}`;
  const items = r.evidence.map((ev) => el('li', {}, el('a', { href: spanLink(ev), class: 'span-link', text: ev.text })));
  side.replaceChildren(
    el('p', { text: `${r.count} times in ${r.documents} documents${r.predicate ? `, “${r.predicate}”` : ''}` }),
    items.length ? el('ul', { class: 'evidence-list' }, ...items) : el('p', { class: 'muted', text: 'no evidence stored' }),
  );
}

function showNode(node) {
  title.textContent = node.data('label');
  side.replaceChildren(
    el('p', {}, el('a', { href: `/entity/${encodeURIComponent(node.id())}`, text: 'Open the entity page' })),
    el('p', { class: 'muted', text: 'Its neighbours are now on the graph.' }),
  );
}

cy.on('tap', 'node', async (event) => {
  const node = event.target;
  showNode(node);
  try { await expand(node.id()); } catch (err) { side.textContent = err.message; }
});
cy.on('tap', 'edge', (event) => showEdge(event.target.id()));

async function start() {
  cy.elements().remove();
  evidence.clear();
  try {
    const entity = await expand(startInput.dataset.id && startInput.value === startInput.dataset.label ? startInput.dataset.id : startInput.value);
    cy.getElementById(entity.id).addClass('start');
    const url = new URL(window.location.href);
    url.searchParams.set('entity', entity.id);
    window.history.replaceState(null, '', url);
  } catch (err) {
    side.textContent = err.message;
  }
}

startInput.dataset.label = startInput.value;
document.getElementById('graph-form').addEventListener('submit', (event) => { event.preventDefault(); start(); });
kindSelect.addEventListener('change', start);
if (startInput.value) start();
window.casegraphGraph = cy; // for the browser tests
