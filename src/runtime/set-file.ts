/*
 * Files of shingle sets for the corpus analysis (analysis/parallel/set-store.ts says why), in a scratch
 * directory of the run that the pipeline makes and removes.
 */
import { randomUUID } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SetStore } from '../analysis/parallel/set-store.ts';

/** A directory of its own under the system's temporary directory, named from `prefix`. */
export function makeScratchDirectory(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Removes a scratch directory and what is in it (nothing happens if it is gone). */
export function removeScratchDirectory(path: string): void {
  rmSync(path, { recursive: true, force: true });
}

/**
 * `removeScratchDirectory` off this thread: the files are unlinked while the caller goes on (freeing
 * the space of large files takes the file system a while).
 */
export function removeScratchDirectoryLater(path: string): Promise<void> {
  return rm(path, { recursive: true, force: true });
}

const BYTES = Uint32Array.BYTES_PER_ELEMENT;

/**
 * Sets in a file of `directory`, made on the first append (removed with the directory). Another thread
 * reads them with `readSetFile(path, …)`.
 */
export class FileSetStore implements SetStore {
  /** The file's path. */
  readonly path: string;
  size = 0;
  private made = false;

  constructor(directory: string) {
    this.path = join(directory, `sets-${randomUUID()}`);
  }

  append(values: Uint32Array): number {
    const at = this.size;
    const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
    // Opened for each chunk: no descriptor outlives a task, whatever becomes of the thread.
    const fd = openSync(this.path, this.made ? 'r+' : 'w+');
    this.made = true;
    try {
      for (let written = 0; written < bytes.length;) {
        written += writeSync(fd, bytes, written, bytes.length - written, at * BYTES + written);
      }
    } finally {
      closeSync(fd);
    }
    this.size += values.length;
    return at;
  }

  read(at: number, into: Uint32Array): void {
    readSetFile(this.path, at, into);
  }
}

/** Fills `into` with the values of the set file at `path` from position `at` (in values). */
export function readSetFile(path: string, at: number, into: Uint32Array): void {
  if (into.length === 0) {
    return;
  }
  const bytes = new Uint8Array(into.buffer, into.byteOffset, into.byteLength);
  const fd = openSync(path, 'r');
  try {
    for (let read = 0; read < bytes.length;) {
      const got = readSync(fd, bytes, read, bytes.length - read, at * BYTES + read);
      if (got === 0) {
        throw new Error(`the shingle sets end at byte ${at * BYTES + read} of ${path}`);
      }
      read += got;
    }
  } finally {
    closeSync(fd);
  }
}
