/** Worker-thread side of the scan pool: scans one local file per message with the normal dispatcher. */
import { parentPort, workerData } from 'node:worker_threads';
import { FileReader } from '../artifact/file-reader.js';
import { scanFile } from './dispatch.js';
import type { PoolJob } from './pool.js';
import type { Budgets } from '../model/budgets.js';

const { budgets } = workerData as { budgets: Budgets };

parentPort!.on('message', (m: { index: number; job: PoolJob }) => {
  const { job } = m;
  void scanFile({ path: job.path, size: job.size, open: () => Promise.resolve(FileReader.open(job.localPath)) }, { budgets }).then(
    (result) => parentPort!.postMessage({ index: m.index, result }),
  );
});
