/*
 * Seeded texts for the near-duplicate tests: edited copies of a few bases, so that many copies are
 * similar to some others and not to the rest, and clusters leave similar texts apart.
 */
import { createRandom } from '../src/analysis/classify/random.ts';

/** `length` Han characters from code point `from`, `step` apart. */
export const han = (from: number, length: number, step = 1): string =>
  Array.from({ length }, (_, i) => String.fromCodePoint(from + i * step)).join('');

/** A text, one edited near its start and one near its end: both similar to it, not to each other. */
export function chain(): string[] {
  const base = han(0x4e00, 200, 3);
  const start = `${base.slice(0, 20)}${han(0x6000, 12)}${base.slice(32)}`;
  const end = `${base.slice(0, 160)}${han(0x7000, 12)}${base.slice(172)}`;
  return [base, start, end];
}

/** Edited copies of a few long bases, each edit small, so that many copies are similar to some and not others. */
export function drifting(count: number, seed: number): string[] {
  const next = createRandom(seed);
  const alphabet = '的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工';
  const make = (length: number): string =>
    Array.from({ length }, () => alphabet[Math.floor(next() * alphabet.length)]!).join('');
  const bases = [make(300), make(300), `${make(150)} plan section ${make(150)}`];
  return Array.from({ length: count }, () => {
    let text = bases[Math.floor(next() * bases.length)]!;
    for (let e = Math.floor(next() * 6); e > 0; e--) {
      const at = Math.floor(next() * text.length);
      text = text.slice(0, at) + make(1 + Math.floor(next() * 4)) + text.slice(at + Math.floor(next() * 4));
    }
    return next() < 0.1 ? `  ${text.toUpperCase()} ` : text;
  });
}
