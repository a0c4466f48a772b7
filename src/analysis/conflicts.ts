/**
 * Conflict candidates (分歧候选): pairs of opinions on the same clause, from different sources, that
 * cannot both be followed. A person confirms them before a conflict (分歧事项) is opened; this only
 * finds and ranks them.
 *
 * Three reasons, any of which makes a pair a candidate:
 * - opposite stances: support or modify against oppose;
 * - incompatible replacement texts: both propose a text, the texts differ (character-bigram similarity
 *   below a threshold, neither containing the other);
 * - different figures for the same target (figuresConflict: +20% against +15%, 2025 against 2027).
 *
 * A clause of a mass campaign may draw 10,000 public comments, so pairs are never enumerated: each reason
 * proposes a bounded pool (the strongest stances of each side; the most common distinct proposals and
 * figures, compared as groups), every pair in the pool is then checked for all three reasons, and the
 * best are kept under a total limit and a cap per opinion, so that one loud opinion cannot fill the list.
 */
import type { Figure } from './figures.ts';
import { extractFigures, figuresConflict, sameTarget } from './figures.ts';
import { similarityKey } from './normalize.ts';
import type { Stance } from './stance/lexicon.ts';

export interface ConflictOpinion {
  id: string;
  /** The unit that gave the opinion; null for a member of the public (each one a source of their own). */
  unitId: string | null;
  clauseId: string;
  text: string;
  /** Proposed replacement text for the clause (建议修改为). */
  proposedText?: string | null;
  stance?: Stance | null;
  /** Confidence of the stance, 0–1 (default 1): stronger stances rank first. */
  stanceScore?: number | null;
  /** Figures of the opinion; extracted from its text and proposed text when absent. */
  figures?: readonly Figure[];
}

export type ConflictReason = 'opposite_stance' | 'incompatible_text' | 'different_figures';

export interface ConflictCandidate {
  /** Opinion ids; `a` comes first in the input. */
  a: string;
  b: string;
  clauseId: string;
  reasons: ConflictReason[];
  /** 0–1; one reason scores at most 1/3, two at most 2/3: more reasons always rank higher. */
  score: number;
  /** The disagreeing figures (first of `a`, then of `b`), when figures are a reason. */
  figures?: { a: Figure; b: Figure }[];
  /** Character-bigram similarity of the two proposed texts, when both propose one. */
  textSimilarity?: number;
}

export interface ConflictOptions {
  /** At most this many candidates in all (default 200). */
  limit?: number;
  /** Proposed texts less similar than this are incompatible (default 0.85). */
  textThreshold?: number;
  /** At most this many candidates name the same opinion (default 5). */
  perOpinion?: number;
}

export const DEFAULT_CONFLICT_LIMIT = 200;
export const DEFAULT_TEXT_THRESHOLD = 0.85;
export const DEFAULT_PER_OPINION = 5;

/** Distinct proposals and distinct figures compared with each other, per clause, at most. */
const MAX_GROUPS = 300;
/** Figure pairs reported per candidate, at most. */
const MAX_FIGURE_PAIRS = 5;
/** A modification against an opposition disagrees less than support against opposition. */
const MODIFY_FACTOR = 0.85;
const REASON_ORDER: readonly ConflictReason[] = ['opposite_stance', 'incompatible_text', 'different_figures'];

interface Prepared {
  index: number;
  opinion: ConflictOpinion;
  source: string;
  stance: Stance | null;
  strength: number;
  /** Index of the opinion's distinct proposed text in the clause, -1 for none. */
  proposal: number;
  figures: readonly Figure[];
}

interface Proposal {
  id: number;
  key: string;
  members: Prepared[];
  bigrams: Set<string> | null;
}

interface Pair {
  first: Prepared;
  second: Prepared;
}

interface Scored extends ConflictCandidate {
  first: number;
  second: number;
  betweenUnits: boolean;
}

/** Proposed texts compared without case, width, script, white space and punctuation. */
function proposalKey(text: string | null | undefined): string | null {
  if (text === null || text === undefined) {
    return null;
  }
  const key = similarityKey(text).replace(/[^\p{L}\p{N}\p{So}]+/gu, '');
  return key === '' ? null : key;
}

function bigramsOf(key: string): Set<string> {
  const chars = Array.from(key);
  const grams = new Set<string>();
  if (chars.length === 1) {
    grams.add(key);
  }
  for (let i = 0; i + 1 < chars.length; i++) {
    grams.add(chars[i]! + chars[i + 1]!);
  }
  return grams;
}

/** Dice coefficient of two bigram sets. */
function dice(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let shared = 0;
  for (const gram of small) {
    if (large.has(gram)) {
      shared++;
    }
  }
  return a.size + b.size === 0 ? 1 : (2 * shared) / (a.size + b.size);
}

function opposite(a: Stance | null, b: Stance | null): boolean {
  return (
    (a === 'oppose' && (b === 'support' || b === 'modify')) ||
    (b === 'oppose' && (a === 'support' || a === 'modify'))
  );
}

function figureSignature(figure: Figure): string | null {
  if (figure.target === null) {
    return null;
  }
  return [
    figure.target,
    figure.unit,
    figure.value,
    figure.upper ?? '',
    figure.direction ?? '',
    figure.year ?? '',
  ].join('\u0001');
}

/**
 * True when one of the figures states the same as `figure`. An opinion that also states the other's
 * figure is most likely quoting it ("原文5万个，建议改为8万个"), so that pair of figures is no disagreement.
 */
function agrees(figures: readonly Figure[], figure: Figure): boolean {
  return figures.some((f) => sameTarget(f, figure) && !figuresConflict(f, figure));
}

function figuresOf(opinion: ConflictOpinion): readonly Figure[] {
  if (opinion.figures !== undefined) {
    return opinion.figures;
  }
  const proposed = opinion.proposedText ?? '';
  return proposed.trim() === ''
    ? extractFigures(opinion.text)
    : [...extractFigures(opinion.text), ...extractFigures(proposed)];
}

/** Stronger stances first, then opinions with more to compare (a proposal, figures); else input order. */
function byStrength(a: Prepared, b: Prepared): number {
  return (
    b.strength - a.strength ||
    Number(b.proposal >= 0) +
      Number(b.figures.length > 0) -
      (Number(a.proposal >= 0) + Number(a.figures.length > 0)) ||
    a.index - b.index
  );
}

/** The candidate pairs of one clause: pools proposed by each reason, then every pair checked in full. */
class ClauseCandidates {
  private readonly proposals: Proposal[] = [];
  private readonly similarity = new Map<number, number>();
  private readonly pool = new Map<number, Pair>();
  /** Pairs the current reason has added to the pool. */
  private added = 0;

  constructor(
    private readonly opinions: Prepared[],
    private readonly options: {
      total: number;
      budget: number;
      perOpinion: number;
      limit: number;
      textThreshold: number;
    },
  ) {
    const byKey = new Map<string, Proposal>();
    for (const p of opinions) {
      const key = proposalKey(p.opinion.proposedText);
      if (key === null) {
        continue;
      }
      let proposal = byKey.get(key);
      if (proposal === undefined) {
        proposal = { id: this.proposals.length, key, members: [], bigrams: null };
        byKey.set(key, proposal);
        this.proposals.push(proposal);
      }
      p.proposal = proposal.id;
      proposal.members.push(p);
    }
  }

  /** Every candidate of the clause: all reasons of each pair in the pools. */
  candidates(): Scored[] {
    this.collectFigures();
    this.collectProposals();
    this.collectStances();
    const out: Scored[] = [];
    for (const pair of this.pool.values()) {
      const candidate = this.evaluate(pair);
      if (candidate !== null) {
        out.push(candidate);
      }
    }
    return out;
  }

  /** Adds a pair from different sources; false once the current reason has used its budget. */
  private add(x: Prepared, y: Prepared): boolean {
    if (this.added >= this.options.budget) {
      return false;
    }
    if (x.source !== y.source) {
      const [first, second] = x.index < y.index ? [x, y] : [y, x];
      const key = first.index * this.options.total + second.index;
      if (!this.pool.has(key)) {
        this.pool.set(key, { first, second });
        this.added++;
      }
    }
    return true;
  }

  /** Pairs of two groups' strongest members; false once the budget is used. */
  private addGroups(x: readonly Prepared[], y: readonly Prepared[], width: number): boolean {
    for (const a of x.slice(0, width)) {
      for (const b of y.slice(0, width)) {
        if (!this.add(a, b)) {
          return false;
        }
      }
    }
    return true;
  }

  private collectStances(): void {
    this.added = 0;
    const pro = this.opinions.filter((p) => p.stance === 'support' || p.stance === 'modify').sort(byStrength);
    const con = this.opinions.filter((p) => p.stance === 'oppose').sort(byStrength);
    // Enough opinions on each side to fill the limit under the per-opinion cap.
    const { limit, perOpinion } = this.options;
    this.addGroups(pro, con, Math.ceil(limit / perOpinion) + perOpinion);
  }

  /**
   * Pairs from groups that disagree (proposals, figures), given as pairs of member lists. First one pair
   * per pair of groups, each group handing out its members in turn, so that many different positions
   * are represented; then the strongest members of each pair of groups, while the budget lasts.
   */
  private collectGroupPairs(groupPairs: readonly (readonly [Prepared[], Prepared[]])[]): void {
    this.added = 0;
    const next = new Map<Prepared[], number>();
    const take = (members: Prepared[]): Prepared => {
      const at = next.get(members) ?? 0;
      next.set(members, at + 1);
      return members[at % members.length]!;
    };
    for (const [x, y] of groupPairs) {
      if (!this.add(take(x), take(y))) {
        return;
      }
    }
    for (const [x, y] of groupPairs) {
      if (!this.addGroups(x, y, this.options.perOpinion)) {
        return;
      }
    }
  }

  /** The most common groups first, at most MAX_GROUPS, members strongest first. */
  private static topGroups<G extends { members: Prepared[] }>(groups: Iterable<G>): G[] {
    const top = [...groups].sort((a, b) => b.members.length - a.members.length).slice(0, MAX_GROUPS);
    for (const group of top) {
      group.members.sort(byStrength);
    }
    return top;
  }

  /** Distinct proposals compared with each other. */
  private collectProposals(): void {
    const groups = ClauseCandidates.topGroups(this.proposals);
    const groupPairs: [Prepared[], Prepared[]][] = [];
    for (let i = 0; i < groups.length; i++) {
      for (let j = i + 1; j < groups.length; j++) {
        if (this.incompatible(groups[i]!, groups[j]!)) {
          groupPairs.push([groups[i]!.members, groups[j]!.members]);
        }
      }
    }
    this.collectGroupPairs(groupPairs);
  }

  /** Distinct figures compared with each other. */
  private collectFigures(): void {
    const bySignature = new Map<string, { figure: Figure; members: Prepared[] }>();
    for (const p of this.opinions) {
      for (const figure of p.figures) {
        const signature = figureSignature(figure);
        if (signature === null) {
          continue;
        }
        let group = bySignature.get(signature);
        if (group === undefined) {
          group = { figure, members: [] };
          bySignature.set(signature, group);
        }
        if (group.members.at(-1) !== p) {
          group.members.push(p);
        }
      }
    }
    const groups = ClauseCandidates.topGroups(bySignature.values());
    const groupPairs: [Prepared[], Prepared[]][] = [];
    for (let i = 0; i < groups.length; i++) {
      for (let j = i + 1; j < groups.length; j++) {
        if (figuresConflict(groups[i]!.figure, groups[j]!.figure)) {
          groupPairs.push([groups[i]!.members, groups[j]!.members]);
        }
      }
    }
    this.collectGroupPairs(groupPairs);
  }

  /** Similarity of two proposals (1 for the same proposal). */
  private proposalSimilarity(x: number, y: number): number {
    if (x === y) {
      return 1;
    }
    const key = Math.min(x, y) * this.proposals.length + Math.max(x, y);
    let value = this.similarity.get(key);
    if (value === undefined) {
      const a = this.proposals[x]!;
      const b = this.proposals[y]!;
      a.bigrams ??= bigramsOf(a.key);
      b.bigrams ??= bigramsOf(b.key);
      value = dice(a.bigrams, b.bigrams);
      this.similarity.set(key, value);
    }
    return value;
  }

  private incompatible(a: Proposal, b: Proposal): boolean {
    if (a === b || a.key.includes(b.key) || b.key.includes(a.key)) {
      return false;
    }
    return this.proposalSimilarity(a.id, b.id) < this.options.textThreshold;
  }

  /** All reasons of one pair, or null when it has none. */
  private evaluate(pair: Pair): Scored | null {
    const { first, second } = pair;
    const reasons: ConflictReason[] = [];
    const strengths: number[] = [];
    if (opposite(first.stance, second.stance)) {
      const modify = first.stance === 'modify' || second.stance === 'modify';
      reasons.push('opposite_stance');
      strengths.push(first.strength * second.strength * (modify ? MODIFY_FACTOR : 1));
    }
    let textSimilarity: number | undefined;
    if (first.proposal >= 0 && second.proposal >= 0) {
      textSimilarity = this.proposalSimilarity(first.proposal, second.proposal);
      if (this.incompatible(this.proposals[first.proposal]!, this.proposals[second.proposal]!)) {
        reasons.push('incompatible_text');
        strengths.push(1 - textSimilarity / 2);
      }
    }
    const figures: { a: Figure; b: Figure }[] = [];
    const seen = new Set<string>();
    for (const a of first.figures) {
      for (const b of second.figures) {
        if (
          figures.length < MAX_FIGURE_PAIRS &&
          figuresConflict(a, b) &&
          !agrees(first.figures, b) &&
          !agrees(second.figures, a)
        ) {
          const key = `${figureSignature(a)}\u0002${figureSignature(b)}`;
          if (!seen.has(key)) {
            seen.add(key);
            figures.push({ a, b });
          }
        }
      }
    }
    if (figures.length > 0) {
      reasons.push('different_figures');
      strengths.push(1 - 0.3 * 0.5 ** (figures.length - 1));
    }
    if (reasons.length === 0) {
      return null;
    }
    const mean = strengths.reduce((sum, s) => sum + s, 0) / strengths.length;
    const candidate: Scored = {
      a: first.opinion.id,
      b: second.opinion.id,
      clauseId: first.opinion.clauseId,
      reasons: REASON_ORDER.filter((r) => reasons.includes(r)),
      score: Math.round(((reasons.length - 1 + mean) / 3) * 10_000) / 10_000,
      first: first.index,
      second: second.index,
      betweenUnits: first.opinion.unitId !== null && second.opinion.unitId !== null,
    };
    if (figures.length > 0) {
      candidate.figures = figures;
    }
    if (textSimilarity !== undefined) {
      candidate.textSimilarity = Math.round(textSimilarity * 10_000) / 10_000;
    }
    return candidate;
  }
}

function positiveInteger(value: number | undefined, fallback: number): number {
  return value === undefined || !Number.isFinite(value) ? fallback : Math.max(0, Math.floor(value));
}

/**
 * Per clause, pairs of opinions from different units (unitId null = a member of the public: two public
 * comments count as different sources) with opposite stances (support vs oppose; modify vs oppose),
 * incompatible replacement texts, or different figures for the same target. Ranked by score (more
 * reasons, stronger stances, more different figures first; between units before public comments at equal
 * score). At most `limit` candidates in all and `perOpinion` per opinion; never enumerates all pairs.
 */
export function findConflictCandidates(
  opinions: readonly ConflictOpinion[],
  options: ConflictOptions = {},
): ConflictCandidate[] {
  const limit = positiveInteger(options.limit, DEFAULT_CONFLICT_LIMIT);
  const perOpinion = Math.max(1, positiveInteger(options.perOpinion, DEFAULT_PER_OPINION));
  const textThreshold = options.textThreshold ?? DEFAULT_TEXT_THRESHOLD;
  if (limit === 0 || opinions.length < 2) {
    return [];
  }
  const byClause = new Map<string, Prepared[]>();
  opinions.forEach((opinion, index) => {
    const stance = opinion.stance ?? null;
    const prepared: Prepared = {
      index,
      opinion,
      source: opinion.unitId === null ? `public\u0001${index}` : `unit\u0001${opinion.unitId}`,
      stance,
      strength: stance === null ? 0 : Math.max(0, Math.min(1, opinion.stanceScore ?? 1)),
      proposal: -1,
      figures: figuresOf(opinion),
    };
    const list = byClause.get(opinion.clauseId);
    if (list === undefined) {
      byClause.set(opinion.clauseId, [prepared]);
    } else {
      list.push(prepared);
    }
  });
  // Pairs examined per reason and clause: enough to fill the limit several times over.
  const budget = Math.max(1_000, limit * 10);
  const scored: Scored[] = [];
  for (const clauseOpinions of byClause.values()) {
    if (clauseOpinions.length >= 2) {
      const clause = new ClauseCandidates(clauseOpinions, {
        total: opinions.length,
        budget,
        perOpinion,
        limit,
        textThreshold,
      });
      for (const candidate of clause.candidates()) {
        scored.push(candidate);
      }
    }
  }
  scored.sort(
    (x, y) =>
      y.score - x.score ||
      Number(y.betweenUnits) - Number(x.betweenUnits) ||
      x.first - y.first ||
      x.second - y.second,
  );
  const uses = new Map<number, number>();
  const chosen: ConflictCandidate[] = [];
  for (const candidate of scored) {
    const usesFirst = uses.get(candidate.first) ?? 0;
    const usesSecond = uses.get(candidate.second) ?? 0;
    if (usesFirst >= perOpinion || usesSecond >= perOpinion) {
      continue;
    }
    uses.set(candidate.first, usesFirst + 1);
    uses.set(candidate.second, usesSecond + 1);
    const { first: _first, second: _second, betweenUnits: _betweenUnits, ...result } = candidate;
    chosen.push(result);
    if (chosen.length >= limit) {
      break;
    }
  }
  return chosen;
}
