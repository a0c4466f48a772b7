import { isAppError } from '../domain/errors.ts';

export interface Output {
  json: boolean;
  /** Prints the command's result: one JSON document with --json, else the human text. */
  result(value: unknown, human: () => string): void;
  info(line: string): void;
}

export function createOutput(json: boolean): Output {
  return {
    json,
    result(value, human) {
      process.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : `${human()}\n`);
    },
    info(line) {
      if (!json) {
        process.stderr.write(`${line}\n`);
      }
    },
  };
}

/** One clear line on stderr (and the error document on stdout with --json), then a non-zero exit. */
export function reportError(error: unknown, json: boolean): number {
  if (isAppError(error)) {
    const details = error.details;
    const rows = Array.isArray(details)
      ? details
          .slice(0, 20)
          .map(
            (d) =>
              `  ${Object.entries(d)
                .map(([k, v]) => `${k}: ${String(v)}`)
                .join(', ')}`,
          )
          .join('\n')
      : '';
    process.stderr.write(`concord: ${error.message}\n${rows ? `${rows}\n` : ''}`);
    if (json) {
      process.stdout.write(
        `${JSON.stringify({ error: { code: error.code, message: error.message, details: error.details } })}\n`,
      );
    }
    return error.status >= 500 ? 2 : 1;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`concord: ${message}\n`);
  if (json) {
    process.stdout.write(`${JSON.stringify({ error: { code: 'internal', message } })}\n`);
  }
  return 2;
}
