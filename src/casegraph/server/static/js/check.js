// The check page: check an article of the case, or a new one (pasted or uploaded), as a
// job; show its progress, then open the report.
import { request, pollJob, showJob } from './app.js';

async function follow(job) {
  showJob(job);
  const done = await pollJob(job.id, showJob);
  if (done.status === 'done' && done.result && done.result.article) {
    window.location.href = `/check/${encodeURIComponent(done.result.article)}`;
  }
}

for (const button of document.querySelectorAll('button.check-article')) {
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      await follow(await request('POST', '/api/check', { article: button.dataset.article }));
    } catch (err) {
      showJob({ status: 'failed', step: '', error: err.message, done: 0, total: 1, errors: [] });
    } finally {
      button.disabled = false;
    }
  });
}

const form = document.getElementById('check-new-form');
if (form) {
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const file = data.get('files');
    if (!file || !file.name) data.delete('files');
    try {
      await follow(await request('POST', '/api/check/new', data));
    } catch (err) {
      showJob({ status: 'failed', step: '', error: err.message, done: 0, total: 1, errors: [] });
    }
  });
}
