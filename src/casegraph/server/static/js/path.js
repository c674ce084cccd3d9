// Draws the first path step by step (one hop every half second) beside its evidence list.
const data = document.getElementById('path-data');
const container = document.getElementById('path-cy');
if (data && container && window.cytoscape) {
  const result = JSON.parse(data.textContent);
  const path = result.paths[0];
  if (path) {
    const cy = window.cytoscape({
      container,
      style: [
        { selector: 'node', style: { label: 'data(label)', 'font-size': 11, 'background-color': '#4a6fa5' } },
        { selector: 'edge', style: { label: 'data(kind)', 'font-size': 9, 'curve-style': 'bezier', 'target-arrow-shape': 'triangle', 'line-color': '#999', 'target-arrow-color': '#999' } },
      ],
    });
    const steps = path.steps;
    const place = (entity, i) => {
      if (!cy.getElementById(entity.id).length) {
        cy.add({ group: 'nodes', data: { id: entity.id, label: entity.name }, position: { x: 120 * i, y: (i % 2) * 40 } });
      }
    };
    let i = 0;
    place(steps[0].from, 0);
    cy.fit(undefined, 30);
    const next = () => {
      if (i >= steps.length) { container.dataset.drawn = String(steps.length); return; }
      const s = steps[i];
      place(s.to, i + 1);
      cy.add({ group: 'edges', data: { id: `s${i}`, source: s.from.id, target: s.to.id, kind: s.relation } });
      const items = document.querySelector('section.path-card').querySelectorAll('li.step');
      if (items[i]) items[i].classList.add('drawn');
      cy.fit(undefined, 30);
      i += 1;
      container.dataset.drawn = String(i);
      setTimeout(next, 500);
    };
    setTimeout(next, 300);
  }
}
