import { describe, expect, it } from 'vitest';
import { detachSpentBuffer } from './detach.ts';

describe('detachSpentBuffer', () => {
  it('returns a buffer that has been detached', () => {
    const spent = detachSpentBuffer();
    expect(spent.byteLength).toBe(0);
    expect(() => new Uint8Array(spent)).toThrow(TypeError);
  });

  it('detaches a new buffer each time', () => {
    const first = detachSpentBuffer();
    const second = detachSpentBuffer();
    expect(second).not.toBe(first);
    expect(second.byteLength).toBe(0);
  });
});
