/*
 * Entry of an analysis worker thread (Node only): one AnalysisRunner, started with the models from
 * `workerData`, answering the pipeline's tasks in the order they arrive.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { detachSpentBuffer } from './detach.ts';
import type { WorkerInit, WorkerTask } from './protocol.ts';
import { AnalysisRunner } from './runner.ts';

const port = parentPort;
if (port === null) {
  throw new Error('the analysis worker runs in a worker thread');
}
// Before any work: see detach.ts.
detachSpentBuffer();
const runner = new AnalysisRunner(workerData as WorkerInit);
port.on('message', (task: WorkerTask) => {
  const { reply, transfer } = runner.run(task);
  port.postMessage(reply, transfer);
});
