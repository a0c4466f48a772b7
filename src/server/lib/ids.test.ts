import { describe, expect, it } from 'vitest';
import { newId } from './ids.ts';

describe('newId', () => {
  it('makes UUIDs of version 7 with the RFC 9562 variant', () => {
    for (let i = 0; i < 1000; i++) {
      expect(newId()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
  });

  it('puts the current time first, so ids of later rows sort later', async () => {
    const before = Date.now();
    const first = newId();
    await new Promise((resolve) => setTimeout(resolve, 5));
    const second = newId();
    const millis = (id: string): number => parseInt(id.replace(/-/g, '').slice(0, 12), 16);
    expect(millis(first)).toBeGreaterThanOrEqual(before);
    expect(millis(second)).toBeGreaterThan(millis(first));
    expect(second > first).toBe(true);
  });

  it('does not repeat', () => {
    const ids = Array.from({ length: 200_000 }, newId);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
