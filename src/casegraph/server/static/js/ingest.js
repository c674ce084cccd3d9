// The ingest page: upload files as a job, then show its progress and per-file errors.
import { request, pollJob, showJob } from './app.js';

const form = document.getElementById('ingest-form');
if (form) {
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    if (!data.get('analyze')) data.set('analyze', '0');
    const button = form.querySelector('button');
    button.disabled = true;
    try {
      const job = await request('POST', '/api/ingest', data);
      showJob(job);
      await pollJob(job.id, showJob);
    } catch (err) {
      showJob({ status: 'failed', step: '', error: err.message, done: 0, total: 1, errors: [] });
    } finally {
      button.disabled = false;
    }
  });
}
