/** A round's export kinds and the formats each comes in (the server's table; the first is the default). */
export const EXPORTS: readonly { kind: string; formats: readonly string[] }[] = [
  { kind: 'opinions', formats: ['xlsx', 'docx'] },
  { kind: 'dispositions', formats: ['xlsx', 'docx'] },
  { kind: 'comparison', formats: ['docx'] },
  { kind: 'revision', formats: ['docx'] },
  { kind: 'report', formats: ['docx'] },
  { kind: 'ledger', formats: ['jsonl'] },
];

/** The tables a unit's own rows can be exported from. */
export const PER_UNIT_EXPORTS = EXPORTS.filter((e) => e.kind === 'opinions' || e.kind === 'dispositions');

/** The download address of one export; `unitId` narrows the opinion and disposition tables to one unit. */
export function exportHref(roundId: string, kind: string, format: string, unitId?: string): string {
  const params = new URLSearchParams({ format });
  if (unitId) {
    params.set('unitId', unitId);
  }
  return `/api/v1/rounds/${encodeURIComponent(roundId)}/exports/${kind}?${params.toString()}`;
}
