import { createRandom } from '../src/analysis/classify/random.ts';

/**
 * `count` strings of 0 to `maxPieces` pieces drawn from `alphabet`, at random but the same on every run:
 * inputs for checking a function against the pattern or reference it replaces.
 */
export function* randomStrings(
  alphabet: readonly string[],
  count: number,
  maxPieces: number,
  seed = 1,
): Generator<string> {
  const random = createRandom(seed);
  for (let n = 0; n < count; n++) {
    const pieces = Math.floor(random() * (maxPieces + 1));
    let text = '';
    for (let k = 0; k < pieces; k++) {
      text += alphabet[Math.floor(random() * alphabet.length)];
    }
    yield text;
  }
}
