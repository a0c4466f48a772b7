import { describe, expect, it } from 'vitest';
import { packBatches } from './pack-batches.ts';
import type { ChunkPart } from './protocol.ts';

/** A part of chunk `base` (its first record), with one text to pack. */
const part = (base: number): ChunkPart => ({
  local: Int32Array.of(0),
  base,
  at: Float64Array.of(0),
  size: Uint32Array.of(1),
  file: null,
});

const bases = (batches: ChunkPart[][][]): number[][][] =>
  batches.map((own) => own.map((task) => task.map((p) => p.base)));

describe('packBatches', () => {
  it('hands tasks of parts in files to the packing threads in turns', () => {
    const parts = [0, 10, 20, 30, 40].map(part);
    expect(bases(packBatches(parts, null, 2, 2))).toEqual([[[0, 10], [40]], [[20, 30]]]);
    expect(bases(packBatches(parts, null, 3, 1))).toEqual([[[0], [30]], [[10], [40]], [[20]]]);
  });

  it('hands each part kept in memory to the thread that holds it, in order', () => {
    const parts = [0, 10, 20, 30, 40, 50].map(part);
    // Chunks went to whichever worker was least busy: not in turns.
    const holders = [0, 0, 1, 0, 1, 1];
    expect(bases(packBatches(parts, holders, 2, 2))).toEqual([
      [[0, 10], [30]],
      [[20, 40], [50]],
    ]);
    expect(bases(packBatches(parts, [0, 0, 0, 0, 0, 0], 2, 4))).toEqual([
      [
        [0, 10, 20, 30],
        [40, 50],
      ],
      [],
    ]);
  });

  it('gives no task when there is nothing to pack', () => {
    expect(packBatches([], null, 2, 16)).toEqual([[], []]);
    expect(packBatches([], [], 1, 16)).toEqual([[]]);
  });

  it('refuses a part held by no packing thread', () => {
    expect(() => packBatches([part(0)], [2], 2, 16)).toThrow(/part 0 is held by no packing thread/u);
    expect(() => packBatches([part(0), part(1)], [0], 2, 16)).toThrow(/part 1/u);
  });
});
