import type { RoundStatus } from '../db/schema.ts';
import type { PlanScope } from './plan.policy.ts';
import { canManagePlan } from './plan.policy.ts';
import type { Actor } from '../services/context.ts';

/*
 * Who may do what on the public comment portal, and what of a comment may be shown to the public.
 * The public reads and comments without an account; moderation is the plan's organizers' work.
 */

/** A public round is shown from its opening on; drafts and scheduled rounds do not exist for the public. */
const VISIBLE_STATUSES: ReadonlySet<RoundStatus> = new Set([
  'open',
  'closed',
  'assessing',
  'feedback',
  'finished',
]);
/** The summary (你说我做) is published once the comment period is over. */
const SUMMARY_STATUSES: ReadonlySet<RoundStatus> = new Set(['closed', 'assessing', 'feedback', 'finished']);

export const isShownToPublic = (round: { kind: string; status: RoundStatus }): boolean =>
  round.kind === 'public' && VISIBLE_STATUSES.has(round.status);

export const acceptsPublicComments = (
  round: { kind: string; status: RoundStatus; closesAt: string },
  now: Date,
): boolean => round.kind === 'public' && round.status === 'open' && now.toISOString() <= round.closesAt;

export const mayPublishSummary = (round: { kind: string; status: RoundStatus }): boolean =>
  round.kind === 'public' && SUMMARY_STATUSES.has(round.status);

/** Moderators of a round's portal: the plan's organizers (and administrators). */
export const canModeratePortal = (actor: Actor, scope: PlanScope): boolean => canManagePlan(actor, scope);

export type PersonalDataKind = 'id_card' | 'phone' | 'email';

/*
 * Personal data a commenter may put in the text by mistake. ID cards first: an 18-digit number must not be
 * half-taken for a phone number. Lookarounds instead of \b: \b does not separate Chinese from digits.
 */
const PATTERNS: readonly [PersonalDataKind, RegExp][] = [
  ['id_card', /(?<![0-9A-Za-z])(?:\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])/g],
  ['email', /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g],
  ['phone', /(?<![0-9])(?:(?:\+|00)?86[- ]?)?1[3-9]\d(?:[- ]?\d{4}){2}(?![0-9])/g],
  ['phone', /(?<![0-9])0\d{2,3}[- ]?\d{7,8}(?![0-9])/g],
];

export const REDACTION_MARK = '〔个人信息已隐去〕';

export interface Redacted {
  text: string;
  kinds: PersonalDataKind[];
  count: number;
}

/** Replaces phone numbers, ID card numbers, e-mail addresses and the given literal spans by a mark. */
export function redactPersonalData(text: string, spans: readonly string[] = []): Redacted {
  const kinds = new Set<PersonalDataKind>();
  let count = 0;
  let out = text;
  for (const span of spans) {
    if (span.length > 0 && out.includes(span)) {
      count += out.split(span).length - 1;
      out = out.split(span).join(REDACTION_MARK);
    }
  }
  for (const [kind, pattern] of PATTERNS) {
    out = out.replace(pattern, () => {
      kinds.add(kind);
      count += 1;
      return REDACTION_MARK;
    });
  }
  return { text: out, kinds: [...kinds], count };
}

/** Whether a text holds personal data the patterns recognise (the moderation queue flags it). */
export const holdsPersonalData = (text: string): boolean => redactPersonalData(text).count > 0;
