/*
 * How the parts of the texts to verify go to the packing threads, a few parts to a task.
 */
import type { ChunkPart } from './protocol.ts';

/**
 * Pack tasks of at most `perTask` parts each, per packing thread (`packers` of them). Sets kept in files
 * may be read by any thread, so the tasks go to the threads in turns (`holders` null). Sets kept in a
 * thread's memory can be read by that thread alone: then `holders[k]` is the thread holding the sets of
 * `parts[k]`, and the part goes to it.
 */
export function packBatches(
  parts: readonly ChunkPart[],
  holders: readonly number[] | null,
  packers: number,
  perTask: number,
): ChunkPart[][][] {
  const batches: ChunkPart[][][] = Array.from({ length: packers }, () => []);
  if (holders === null) {
    for (let k = 0, turn = 0; k < parts.length; k += perTask, turn++) {
      batches[turn % packers]!.push(parts.slice(k, k + perTask));
    }
    return batches;
  }
  const held: ChunkPart[][] = Array.from({ length: packers }, () => []);
  parts.forEach((part, k) => {
    const holder = holders[k];
    if (holder === undefined || !Number.isInteger(holder) || holder < 0 || holder >= packers) {
      throw new RangeError(`part ${k} is held by no packing thread (${String(holder)})`);
    }
    held[holder]!.push(part);
  });
  held.forEach((own, w) => {
    for (let k = 0; k < own.length; k += perTask) {
      batches[w]!.push(own.slice(k, k + perTask));
    }
  });
  return batches;
}
