import type { OpinionInput, OpinionKind } from './api.ts';

/** The clause selector's value for an opinion on the whole draft. */
export const WHOLE = '__whole__';

/** The reply workspace's opinion form, as antd's Form holds it. */
export interface FormValues {
  clauseStableId: string;
  quote?: string;
  suggestion?: string;
  reasons?: string;
  proposedText?: string;
  kind: OpinionKind;
  blocking?: boolean;
}

export const emptyForm: FormValues = { clauseStableId: WHOLE, kind: 'substantive', blocking: false };

/** Trimmed text, or null when nothing but blanks was typed. */
export const orNull = (value: string | undefined): string | null => (value?.trim() ? value.trim() : null);

/** The API's opinion input from the form: trimmed texts, null for empty optional fields and the whole draft. */
export function toInput(values: FormValues): OpinionInput {
  return {
    clauseStableId: values.clauseStableId === WHOLE ? null : values.clauseStableId,
    quote: orNull(values.quote),
    suggestion: (values.suggestion ?? '').trim(),
    reasons: orNull(values.reasons),
    proposedText: orNull(values.proposedText),
    kind: values.kind,
    blocking: values.blocking === true,
  };
}
