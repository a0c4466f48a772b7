import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import type { Database } from '../src/server/db/database.ts';
import { inTransaction } from '../src/server/db/executor.ts';
import type { JobHandlers } from '../src/server/jobs/worker.ts';
import { createHandlers } from '../src/server/jobs/handlers.ts';
import type { Services } from '../src/server/services/index.ts';
import type { NotifyInput } from '../src/server/services/notification.service.ts';
import { notify } from '../src/server/services/notification.service.ts';

/** Gives a test user an e-mail address (the user factory leaves it empty). */
export async function setEmail(database: Database, userId: string, email: string): Promise<void> {
  await database.db.updateTable('user').set({ email }).where('id', '=', userId).execute();
}

/** Calls `notify` in its own transaction, as a service would inside its own. */
export function notifyNow(services: Services, input: NotifyInput): Promise<void> {
  return inTransaction(services.ctx.database, (tx) => notify(tx, services.ctx, input));
}

/**
 * Runs due jobs of the given kinds the way a worker does (claim, handler, complete) until none is due;
 * returns the outcomes in order.
 */
export async function runDueJobs(
  services: Services,
  kinds: string[],
  handlers: JobHandlers = createHandlers(services),
): Promise<{ kind: string; status: string; error?: string }[]> {
  const outcomes: { kind: string; status: string; error?: string }[] = [];
  for (let i = 0; i < 100; i += 1) {
    const job = await services.jobs.claim('test-worker', kinds);
    if (!job) {
      break;
    }
    let outcome;
    try {
      outcome = await handlers[job.kind]!(job, {
        progress: async () => undefined,
        signal: new AbortController().signal,
      });
    } catch (error) {
      outcome = { status: 'failed' as const, error: error instanceof Error ? error.message : String(error) };
    }
    await services.jobs.complete(job.id, outcome, { workerId: 'test-worker' });
    outcomes.push({
      kind: job.kind,
      status: outcome.status,
      ...(outcome.status === 'failed' ? { error: outcome.error } : {}),
    });
  }
  return outcomes;
}

export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
}

/** A real SMTP server on a free local port; recipients containing "refuse" are refused with 550. */
export async function startSmtp(): Promise<{
  url: string;
  mails: ReceivedMail[];
  close: () => Promise<void>;
}> {
  const mails: ReceivedMail[] = [];
  const server = new SMTPServer({
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (address.address.includes('refuse')) {
        const error = new Error('Mailbox unavailable') as Error & { responseCode: number };
        error.responseCode = 550;
        callback(error);
        return;
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Decodes RFC 2047 encoded words of a header (B and Q). */
export function decodeHeader(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?utf-8\?([bq])\?([^?]*)\?=/gi, (_all, encoding: string, text: string) =>
      encoding.toLowerCase() === 'b'
        ? Buffer.from(text, 'base64').toString('utf8')
        : decodeQp(text.replace(/_/g, ' ')),
    );
}

function decodeQp(text: string): string {
  const bytes: number[] = [];
  const clean = text.replace(/=\r?\n/g, '');
  for (let i = 0; i < clean.length; i += 1) {
    if (clean[i] === '=' && /^[0-9A-F]{2}$/i.test(clean.slice(i + 1, i + 3))) {
      bytes.push(parseInt(clean.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(clean[i]!, 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** The subject and the decoded text/plain and text/html parts of a raw message. */
export function parseMail(raw: string): { subject: string; text: string; html: string } {
  const [head = ''] = raw.split(/\r?\n\r?\n/);
  const unfolded = head.replace(/\r?\n[ \t]+/g, ' ');
  const subject = decodeHeader(/^Subject: (.*)$/im.exec(unfolded)?.[1] ?? '');
  const part = (type: string): string => {
    const match = new RegExp(
      `Content-Type: ${type}[^\\r\\n]*\\r?\\nContent-Transfer-Encoding: ([\\w-]+)\\r?\\n\\r?\\n([\\s\\S]*?)\\r?\\n--\\S`,
      'i',
    ).exec(raw);
    if (!match) {
      return '';
    }
    const [, encoding = '', body = ''] = match;
    if (encoding.toLowerCase() === 'base64') {
      return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
    }
    if (encoding.toLowerCase() === 'quoted-printable') {
      return decodeQp(body);
    }
    return body;
  };
  return { subject, text: part('text/plain'), html: part('text/html') };
}

export interface HookRequest {
  url: URL;
  body: unknown;
}

/** A local HTTP server standing in for a group robot; `respond` decides each answer (by request number). */
export async function startHookServer(
  respond: (request: HookRequest, index: number, res: ServerResponse) => void,
): Promise<{ url: string; requests: HookRequest[]; close: () => Promise<void> }> {
  const requests: HookRequest[] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request = {
        url: new URL(req.url ?? '/', 'http://127.0.0.1'),
        body: JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null') as unknown,
      };
      requests.push(request);
      respond(request, requests.length - 1, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function answerJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
