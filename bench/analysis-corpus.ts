/*
 * A synthetic mass-campaign corpus for the million-comment benchmark: half Chinese, half English, made
 * from real comments with random edits, reproducible from its seed.
 *
 * Chinese comments come from the 2,986 NLPCC 2016 Weibo posts (five targets): 40% are copies of 300
 * campaign templates (a post, or a post and a sentence of another on the same target) with up to three
 * character edits, a number changed or a name signed; 60% recombine one to three sentences of posts on
 * one target, with one to three edits and sometimes their order shuffled. English comments come from the
 * 28 FCC 17-108 form letters and the 22,582 STEM-OPT comments (ICEB-2015-0002): 30% are copies of a form
 * letter with up to three word edits and often a salutation or a signature, 30% are STEM-OPT comments
 * with up to two edits (the docket's own form letters among them), 40% recombine two to four STEM-OPT
 * sentences with one to three edits. A copy may come out unedited (a quarter of the form-letter copies),
 * as many do in real campaigns; edits are insertions, deletions and substitutions of characters (Chinese)
 * or words (English), shuffled sentences, changed numbers and names.
 *
 * Records are `{id, text, target}`; even positions are Chinese, odd ones English.
 * Run alone: `npx tsx bench/analysis-corpus.ts OUT.jsonl [COUNT]`.
 */
import { closeSync, existsSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { parseNlpccStance } from './analysis-classify.ts';
import { readStemOptComments } from './analysis-dedupe.ts';
import { prng } from './texts.ts';

export const FCC_FORM_LETTERS = 'comments/fcc17-108_form_letter_templates_with_stance.json';
export const NLPCC_POSTS = 'comments/nlpcc2016_stance_train.tsv';
export const FCC_TARGET = 'FCC 17-108';
export const STEM_OPT_TARGET = 'ICEB-2015-0002';

export interface CorpusSources {
  /** NLPCC posts with their targets. */
  chinese: { text: string; target: string }[];
  /** The FCC form letters. */
  formLetters: string[];
  /** The STEM-OPT comments (non-empty). */
  stemOpt: string[];
}

export interface SyntheticComment {
  id: string;
  text: string;
  target: string;
}

export interface CorpusSummary {
  records: number;
  chinese: number;
  english: number;
  characters: number;
  bytes: number;
  /** Records copied from a campaign template or form letter (edited or not). */
  campaignCopies: number;
  /** Copies left unedited. */
  uneditedCopies: number;
}

/** The real comments the corpus is made from, or null when a fixture is absent. */
export function readCorpusSources(fixturesDir: string): CorpusSources | null {
  const nlpcc = join(fixturesDir, NLPCC_POSTS);
  const fcc = join(fixturesDir, FCC_FORM_LETTERS);
  const stem = readStemOptComments(fixturesDir);
  if (!existsSync(nlpcc) || !existsSync(fcc) || stem === null) {
    return null;
  }
  const letters = JSON.parse(readFileSync(fcc, 'utf8')) as { sample_text?: string }[];
  return {
    chinese: parseNlpccStance(readFileSync(nlpcc)).map((post) => ({ text: post.text, target: post.target })),
    formLetters: letters.map((l) => (l.sample_text ?? '').trim()).filter((t) => t !== ''),
    stemOpt: stem.map((t) => t.trim()).filter((t) => t.length >= 20),
  };
}

const NAMES_EN = [
  'John Smith',
  'Mary Johnson',
  'Wei Zhang',
  'Priya Patel',
  'Carlos Garcia',
  'Anna Kowalski',
  'Ahmed Hassan',
  'Li Na',
  'Sarah Miller',
  'David Brown',
  'Olga Ivanova',
  'James Wilson',
];
const NAMES_ZH = [
  '张伟',
  '王芳',
  '李娜',
  '刘洋',
  '陈静',
  '杨磊',
  '赵敏',
  '黄强',
  '周杰',
  '吴霞',
  '徐明',
  '孙丽',
];
const SALUTATIONS = [
  'Dear FCC,',
  'To the Commission:',
  'Dear Chairman Pai,',
  'Hello,',
  'To whom it may concern:',
];

type Random = () => number;

const pick = <T>(random: Random, list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
const between = (random: Random, low: number, high: number): number =>
  low + Math.floor(random() * (high - low + 1));

function shuffle<T>(random: Random, items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

const splitChinese = (text: string): string[] =>
  text
    .split(/(?<=[。！？!?；;…\n])/u)
    .map((s) => s.trim())
    .filter((s) => s.length >= 4);
const splitEnglish = (text: string): string[] =>
  text
    .split(/(?<=[.!?])\s+/u)
    .map((s) => s.trim())
    .filter((s) => s.length >= 20 && s.length <= 600);

/** Numbers in the text replaced by others of about the same size. */
function changeNumbers(random: Random, text: string): string {
  return text.replace(/\d+/gu, (digits) =>
    String(Math.max(1, Math.round(Number(digits.slice(0, 9)) * (0.5 + random())))),
  );
}

/** Character edits (Chinese): insert, delete or substitute a character drawn from `pool`. */
function editCharacters(random: Random, text: string, edits: number, pool: string): string {
  const chars = [...text];
  for (let e = 0; e < edits && chars.length > 1; e++) {
    const at = Math.floor(random() * chars.length);
    const roll = random();
    const char = pool[Math.floor(random() * pool.length)] ?? '的';
    if (roll < 0.35) {
      chars.splice(at, 0, char);
    } else if (roll < 0.65) {
      chars.splice(at, 1);
    } else {
      chars[at] = char;
    }
  }
  return chars.join('');
}

/** Word edits (English): insert, delete or substitute a word drawn from `pool`. */
function editWords(random: Random, text: string, edits: number, pool: readonly string[]): string {
  const words = text.split(' ');
  for (let e = 0; e < edits && words.length > 1; e++) {
    const at = Math.floor(random() * words.length);
    const roll = random();
    const word = pick(random, pool);
    if (roll < 0.35) {
      words.splice(at, 0, word);
    } else if (roll < 0.65) {
      words.splice(at, 1);
    } else {
      words[at] = word;
    }
  }
  return words.join(' ');
}

interface Prepared {
  templatesZh: { text: string; target: string }[];
  sentencesZhByTarget: Map<string, string[]>;
  targetsZh: string[];
  charPool: string;
  sentencesEn: string[];
  wordPool: string[];
}

function prepare(sources: CorpusSources, random: Random): Prepared {
  const sentencesZhByTarget = new Map<string, string[]>();
  for (const post of sources.chinese) {
    const list = sentencesZhByTarget.get(post.target) ?? [];
    list.push(...splitChinese(post.text));
    sentencesZhByTarget.set(post.target, list);
  }
  const templatesZh = Array.from({ length: 300 }, () => {
    const post = pick(random, sources.chinese);
    if (random() < 0.5) {
      return post;
    }
    const more = pick(random, sentencesZhByTarget.get(post.target) ?? ['']);
    return { text: `${post.text}${more}`, target: post.target };
  });
  const sample = sources.chinese.slice(0, 500).map((p) => p.text);
  const charPool = sample.join('').replace(/[^\p{Script=Han}]/gu, '');
  const sentencesEn = sources.stemOpt.flatMap(splitEnglish);
  const wordPool = sentencesEn
    .slice(0, 5000)
    .flatMap((s) => s.split(' '))
    .filter((w) => /^[A-Za-z]{2,12}$/u.test(w));
  return {
    templatesZh,
    sentencesZhByTarget,
    targetsZh: [...sentencesZhByTarget.keys()],
    charPool,
    sentencesEn,
    wordPool,
  };
}

function chineseComment(random: Random, p: Prepared): { text: string; target: string; copy: number } {
  if (random() < 0.4) {
    const template = pick(random, p.templatesZh);
    let text = editCharacters(random, template.text, between(random, 0, 3), p.charPool);
    if (random() < 0.15) {
      text = changeNumbers(random, text);
    }
    if (random() < 0.1) {
      text = `${text}——${pick(random, NAMES_ZH)}`;
    }
    return { text, target: template.target, copy: text === template.text ? 2 : 1 };
  }
  const target = pick(random, p.targetsZh);
  const sentences = p.sentencesZhByTarget.get(target)!;
  let parts = Array.from({ length: between(random, 1, 3) }, () => pick(random, sentences));
  if (random() < 0.3) {
    parts = shuffle(random, parts);
  }
  let text = editCharacters(random, parts.join(''), between(random, 1, 3), p.charPool);
  if (random() < 0.15) {
    text = changeNumbers(random, text);
  }
  return { text, target, copy: 0 };
}

function englishComment(
  random: Random,
  sources: CorpusSources,
  p: Prepared,
): { text: string; target: string; copy: number } {
  const roll = random();
  if (roll < 0.3) {
    const letter = pick(random, sources.formLetters);
    const edits = between(random, 0, 3);
    let text = editWords(random, letter, edits, p.wordPool);
    const decorated = edits > 0 && random() < 0.5;
    if (decorated) {
      text = `${pick(random, SALUTATIONS)} ${text} Sincerely, ${pick(random, NAMES_EN)}`;
    }
    return { text, target: FCC_TARGET, copy: text === letter ? 2 : 1 };
  }
  if (roll < 0.6) {
    const comment = pick(random, sources.stemOpt);
    let text = editWords(random, comment, between(random, 0, 2), p.wordPool);
    if (random() < 0.1) {
      text = changeNumbers(random, text);
    }
    return { text, target: STEM_OPT_TARGET, copy: 0 };
  }
  let parts = Array.from({ length: between(random, 2, 4) }, () => pick(random, p.sentencesEn));
  if (random() < 0.3) {
    parts = shuffle(random, parts);
  }
  let text = editWords(random, parts.join(' '), between(random, 1, 3), p.wordPool);
  if (random() < 0.15) {
    text = changeNumbers(random, text);
  }
  if (random() < 0.2) {
    text = `${text} ${pick(random, NAMES_EN)}`;
  }
  return { text, target: STEM_OPT_TARGET, copy: 0 };
}

/** `count` synthetic comments (even positions Chinese, odd ones English), the same for the same seed. */
export function* syntheticCorpus(
  sources: CorpusSources,
  options: { count: number; seed?: number },
): Generator<SyntheticComment & { copy: number }> {
  const random = prng(options.seed ?? 2016);
  const prepared = prepare(sources, random);
  const width = String(Math.max(1, options.count - 1)).length;
  for (let i = 0; i < options.count; i++) {
    const made = i % 2 === 0 ? chineseComment(random, prepared) : englishComment(random, sources, prepared);
    yield { id: `c${String(i).padStart(width, '0')}`, ...made };
  }
}

/** Writes the corpus as JSON Lines to `file`. */
export function writeSyntheticCorpus(
  file: string,
  sources: CorpusSources,
  options: { count: number; seed?: number },
): CorpusSummary {
  const fd = openSync(file, 'w');
  const summary: CorpusSummary = {
    records: 0,
    chinese: 0,
    english: 0,
    characters: 0,
    bytes: 0,
    campaignCopies: 0,
    uneditedCopies: 0,
  };
  try {
    let batch: string[] = [];
    const flush = (): void => {
      const data = Buffer.from(batch.join(''));
      writeSync(fd, data);
      summary.bytes += data.length;
      batch = [];
    };
    for (const comment of syntheticCorpus(sources, options)) {
      batch.push(`${JSON.stringify({ id: comment.id, text: comment.text, target: comment.target })}\n`);
      summary.records++;
      summary.characters += comment.text.length;
      if (summary.records % 2 === 1) {
        summary.chinese++;
      } else {
        summary.english++;
      }
      if (comment.copy > 0) {
        summary.campaignCopies++;
      }
      if (comment.copy === 2) {
        summary.uneditedCopies++;
      }
      if (batch.length === 10_000) {
        flush();
      }
    }
    flush();
  } finally {
    closeSync(fd);
  }
  return summary;
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) {
  const out = process.argv[2];
  if (out === undefined) {
    console.error('usage: npx tsx bench/analysis-corpus.ts OUT.jsonl [COUNT]');
    process.exit(2);
  }
  const dir = process.env.CONCORD_FIXTURES ?? new URL('../../shared/fixtures/', import.meta.url).pathname;
  const sources = readCorpusSources(dir);
  if (sources === null) {
    console.error(`fixtures absent at ${dir}`);
    process.exit(1);
  }
  console.log(writeSyntheticCorpus(out, sources, { count: Number(process.argv[3] ?? 1_000_000) }));
}
