/*
 * V8 compiles a thread's typed-array reads on the assumption that no buffer has been detached in it yet.
 * The first buffer that is (handed to another thread in a message's transfer list) makes it throw away
 * every optimised function relying on that, all at once, and compile them again. A worker hands over its
 * first buffers with its first reply, when its hot functions have just been compiled; detaching a spent
 * buffer before any work spares that second compilation, and the slow running until it is done.
 */

/** Detaches a new buffer of its own and returns it (detached: its byteLength is 0). */
export function detachSpentBuffer(): ArrayBuffer {
  const spent = new ArrayBuffer(8);
  structuredClone(spent, { transfer: [spent] });
  return spent;
}
