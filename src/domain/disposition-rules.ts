import { AppError } from './errors.ts';

/*
 * The rules of 处理意见 (dispositions), feedback and objections (异议): which codes exist, which need a
 * reason and a basis, what counts as adopted, and how long and how often a unit may object.
 */

export const DISPOSITION_CODES = [
  'adopted',
  'partially_adopted',
  'not_adopted',
  'already_reflected',
  'explained',
  'for_reference',
  'out_of_scope',
] as const;
export type DispositionCode = (typeof DISPOSITION_CODES)[number];

export const DISPOSITION_LABELS: Readonly<Record<DispositionCode, string>> = {
  adopted: '采纳',
  partially_adopted: '部分采纳',
  not_adopted: '不采纳',
  already_reflected: '已体现',
  explained: '解释说明',
  for_reference: '留作参考',
  out_of_scope: '不属于本规划范围',
};

export const DISPOSITION_BASES = [
  'law_policy',
  'data',
  'responsibilities',
  'conflict',
  'out_of_scope',
  'other',
] as const;
export type DispositionBasis = (typeof DISPOSITION_BASES)[number];

export const BASIS_LABELS: Readonly<Record<DispositionBasis, string>> = {
  law_policy: '法律法规或政策依据',
  data: '数据论证',
  responsibilities: '职责分工',
  conflict: '与其他单位意见冲突',
  out_of_scope: '不属于本规划范围',
  other: '其他',
};

/** Everything but 采纳 must say why, and on what basis. */
export const requiresReason = (code: DispositionCode): boolean => code !== 'adopted';

/** 采纳 and 部分采纳 count as adopted (采纳率). */
export const countsAsAdopted = (code: DispositionCode): boolean =>
  code === 'adopted' || code === 'partially_adopted';

/** Adopted or already in the text (层级适配率). */
export const countsAsReflected = (code: DispositionCode): boolean =>
  countsAsAdopted(code) || code === 'already_reflected';

/** 留作参考 items are tracked into implementation as follow-ups once approved. */
export const createsFollowUp = (code: DispositionCode): boolean => code === 'for_reference';

export interface DispositionInput {
  code: DispositionCode;
  reason?: string | null | undefined;
  basis?: DispositionBasis | null | undefined;
}

export interface ValidDisposition {
  code: DispositionCode;
  reason: string | null;
  basis: DispositionBasis | null;
}

/**
 * Checks a disposition and normalises it (trimmed reason, null for blanks). Throws a validation error that
 * names the missing field (`reason` or `basis`), prefixed with `prefix` for nested bodies.
 */
export function validateDisposition(input: DispositionInput, prefix = ''): ValidDisposition {
  const reason = input.reason?.trim() ? input.reason.trim() : null;
  const basis = input.basis ?? null;
  if (requiresReason(input.code)) {
    if (!reason) {
      throw new AppError(
        'validation_failed',
        `A disposition "${DISPOSITION_LABELS[input.code]}" needs a reason (only 采纳 may go without).`,
        { field: `${prefix}reason`, code: input.code },
      );
    }
    if (!basis) {
      throw new AppError(
        'validation_failed',
        `A disposition "${DISPOSITION_LABELS[input.code]}" needs a basis category (${DISPOSITION_BASES.join(', ')}).`,
        { field: `${prefix}basis`, code: input.code },
      );
    }
  }
  return { code: input.code, reason, basis };
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** The end of the objection window: `windowDays` calendar days after the letter was sent (ISO instant). */
export const objectionDeadline = (sentAt: string, windowDays: number): string =>
  new Date(new Date(sentAt).getTime() + windowDays * DAY_MS).toISOString();

/**
 * Until when a unit may object. The first objection runs to the letter's deadline; after a review the
 * unit gets a fresh window from the review, never shorter than the letter's.
 */
export function objectionOpenUntil(options: {
  letterDeadline: string;
  lastReviewedAt: string | null;
  windowDays: number;
}): string {
  if (!options.lastReviewedAt) {
    return options.letterDeadline;
  }
  const afterReview = objectionDeadline(options.lastReviewedAt, options.windowDays);
  return afterReview > options.letterDeadline ? afterReview : options.letterDeadline;
}

/** An objection is in time strictly before the deadline. */
export const isWithinWindow = (now: Date, deadline: string): boolean =>
  now.getTime() < new Date(deadline).getTime();

export type ObjectionBound = { allowed: true; roundNo: number } | { allowed: false; roundNo: null };

/** Objection rounds are bounded per opinion: the (max + 1)-th objection is refused. */
export function nextObjectionRound(previousObjections: number, maxRounds: number): ObjectionBound {
  return previousObjections < maxRounds
    ? { allowed: true, roundNo: previousObjections + 1 }
    : { allowed: false, roundNo: null };
}
