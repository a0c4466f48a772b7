import type { ConsultationStatus, ExpertAssignmentStatus } from '../db/tables/expert.ts';
import type { Actor } from '../services/context.ts';
import { isPlanSide } from './opinion.policy.ts';
import type { PlanScope } from './plan.policy.ts';
import { canManagePlan } from './plan.policy.ts';

/*
 * Expert consultation (专家咨询) is worth something only if each expert judges alone: until an expert has
 * sent their own answer, nothing of another expert's answer reaches them. The plan's side sees everything.
 */

export const isExpert = (actor: Actor): boolean => actor.roles.includes('expert');

/** The roster (who is an expert in what) is for organizers and administrators. */
export const canReadRoster = (actor: Actor): boolean =>
  actor.roles.includes('admin') || actor.roles.includes('organizer');

/** Profiles are kept by administrators and organizers. */
export const canEditExpertProfile = (actor: Actor): boolean => canReadRoster(actor);

/** Consultations are started and closed by the plan's organizers (and administrators). */
export const canManageConsultation = (actor: Actor, plan: PlanScope): boolean => canManagePlan(actor, plan);

/** The plan's side (organizers, leaders above, administrators) reads every consultation in full. */
export const canOverseeConsultation = (actor: Actor, plan: PlanScope): boolean => isPlanSide(actor, plan);

/** What an expert's relation to a consultation allows; `assignment` is null when not invited. */
export interface ExpertStanding {
  assignment: { status: ExpertAssignmentStatus } | null;
  consultationStatus: ConsultationStatus;
  revealAfterAnswer: boolean;
}

/** An invited expert reads the consultation itself (the conflict or opinions, the questions). */
export const canReadConsultationAsExpert = (actor: Actor, standing: ExpertStanding): boolean =>
  isExpert(actor) && standing.assignment !== null;

/** Only an invited expert who has neither answered nor declined answers, while the consultation is open. */
export const canAnswer = (actor: Actor, standing: ExpertStanding): boolean =>
  isExpert(actor) && standing.assignment?.status === 'invited' && standing.consultationStatus === 'open';

/**
 * Whether an invited expert may see the other experts' answers: never before sending their own; after
 * that, while open only if the consultation says so, and always once it is closed.
 */
export function othersAnswersVisible(
  standing: ExpertStanding,
): { visible: true } | { visible: false; reason: string } {
  if (standing.assignment?.status !== 'answered') {
    return {
      visible: false,
      reason:
        "Other experts' answers stay hidden until you have sent your own answer (independent review, 独立评审).",
    };
  }
  if (standing.consultationStatus === 'open' && !standing.revealAfterAnswer) {
    return {
      visible: false,
      reason: "Other experts' answers are shown once the consultation is closed.",
    };
  }
  return { visible: true };
}
