/*
 * Where an analysis thread keeps the shingles of the texts it analysed (unsorted: they become sets only
 * for the texts the clustering asks for, those it must verify). They come out of the same pass that
 * computes the signatures; keeping them spares the verification reading, normalising and hashing those
 * texts a second time.
 *
 * A corpus of a million comments has about a gigabyte of shingles, and most are never asked for, so a worker
 * writes them to a file of its own (`FileSetStore` in runtime/set-file.ts: appended chunk by chunk, read
 * back in ranges) rather than holding them; the operating system's cache keeps the file's pages. A small
 * corpus analysed on the caller's thread keeps them in memory.
 */
export interface SetStore {
  /** Appends a copy of values (the array stays the caller's); returns the position (in values) of the first. */
  append(values: Uint32Array): number;
  /** Values appended so far: the position the next append gives. */
  readonly size: number;
  /** Fills `into` with the values from position `at`. */
  read(at: number, into: Uint32Array): void;
}

/** Sets in memory, in the blocks they were appended as. */
export class MemorySetStore implements SetStore {
  private blocks: Uint32Array[] = [];
  private starts: number[] = [];
  size = 0;

  append(values: Uint32Array): number {
    const at = this.size;
    this.blocks.push(values.slice());
    this.starts.push(at);
    this.size += values.length;
    return at;
  }

  read(at: number, into: Uint32Array): void {
    let filled = 0;
    // The block holding position `at`: the last that starts at or before it.
    let b = this.starts.length - 1;
    while (b > 0 && this.starts[b]! > at) {
      b--;
    }
    while (filled < into.length) {
      const block = this.blocks[b];
      if (block === undefined) {
        throw new Error(`shingle sets end before value ${at + into.length}`);
      }
      const from = at + filled - this.starts[b]!;
      const take = Math.min(block.length - from, into.length - filled);
      into.set(block.subarray(from, from + take), filled);
      filled += take;
      b++;
    }
  }
}
