// The overview: analyze the documents not analyzed yet, as a job; reload when it ends.
import { request, pollJob, showJob } from './app.js';

const button = document.getElementById('analyze-now');
if (button) {
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      const job = await request('POST', '/api/analyze', {});
      showJob(job);
      const done = await pollJob(job.id, showJob);
      if (done.status === 'done') window.location.reload();
    } catch (err) {
      showJob({ status: 'failed', step: '', error: err.message, done: 0, total: 1, errors: [] });
    } finally {
      button.disabled = false;
    }
  });
}
