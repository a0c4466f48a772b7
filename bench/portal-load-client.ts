import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { opinionText, prng } from './texts.ts';

/*
 * The load generator of the public portal, run as a child process (its own event loop): it sends
 * `rate` comments a second for `seconds`, paced in 10 ms ticks with at most `maxInFlight` open, each from a
 * client address (X-Forwarded-For) used for `perAddress` comments only, so no honest commenter meets the
 * limit; one abusive address meanwhile sends `abusiveRate` a second. It reports statuses, latencies and the
 * receipt numbers of every accepted comment, separately for the honest and the abusive traffic.
 */

export interface PortalLoadRequest {
  port: number;
  path: string;
  clauseStableIds: string[];
  rate: number;
  seconds: number;
  perAddress: number;
  maxInFlight: number;
  abusiveRate: number;
}

export interface TrafficResult {
  sent: number;
  statuses: Record<string, number>;
  networkErrors: number;
  firstError: string | null;
  receipts: string[];
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
}

export interface PortalLoadResult {
  seconds: number;
  /** Ticks at which the in-flight cap held a send back: the server was not keeping up. */
  throttledSends: number;
  honest: TrafficResult;
  abusive: TrafficResult;
}

const percentile = (sorted: Float64Array, p: number): number =>
  sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

const addressOf = (n: number): string => `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;

class Traffic {
  sent = 0;
  statuses: Record<string, number> = {};
  networkErrors = 0;
  firstError: string | null = null;
  receipts: string[] = [];
  latencies: number[] = [];

  result(): TrafficResult {
    const sorted = Float64Array.from(this.latencies).sort();
    const round = (ms: number): number => Number(ms.toFixed(2));
    return {
      sent: this.sent,
      statuses: this.statuses,
      networkErrors: this.networkErrors,
      firstError: this.firstError,
      receipts: this.receipts,
      latencyMs: {
        p50: round(percentile(sorted, 50)),
        p90: round(percentile(sorted, 90)),
        p99: round(percentile(sorted, 99)),
        max: round(sorted.length ? sorted[sorted.length - 1]! : 0),
        mean: round(sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length)),
      },
    };
  }
}

async function run(request: PortalLoadRequest): Promise<PortalLoadResult> {
  const random = prng(11);
  const bodies = Array.from({ length: 500 }, (_, i) => {
    const text = opinionText(random);
    return Buffer.from(
      JSON.stringify({
        clauseStableId: request.clauseStableIds[i % request.clauseStableIds.length]!,
        suggestion: text.suggestion,
        reasons: text.reasons,
        proposedText: i % 3 === 0 ? text.proposedText : null,
        anonymous: i % 4 !== 0,
        ...(i % 4 === 0 ? { name: `市民${i}`, contact: `1380000${String(i).padStart(4, '0')}` } : {}),
        consent: true,
      }),
    );
  });
  const agent = new http.Agent({ keepAlive: true, maxSockets: request.maxInFlight + 8 });
  const honest = new Traffic();
  const abusive = new Traffic();
  let inFlight = 0;
  let started = performance.now();

  const post = (traffic: Traffic, body: Buffer, address: string): Promise<void> => {
    const start = performance.now();
    traffic.sent += 1;
    inFlight += 1;
    return new Promise<void>((resolve) => {
      const done = (status: number | null, error?: string): void => {
        inFlight -= 1;
        traffic.latencies.push(performance.now() - start);
        if (status === null) {
          traffic.networkErrors += 1;
        } else {
          traffic.statuses[status] = (traffic.statuses[status] ?? 0) + 1;
        }
        if (error && !traffic.firstError) {
          traffic.firstError = error;
        }
        resolve();
      };
      const req = http.request(
        {
          host: '127.0.0.1',
          port: request.port,
          path: request.path,
          method: 'POST',
          agent,
          headers: {
            'content-type': 'application/json',
            'content-length': body.length,
            'x-forwarded-for': address,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const status = res.statusCode ?? 0;
            const text = Buffer.concat(chunks).toString('utf8');
            if (status === 201) {
              traffic.receipts.push((JSON.parse(text) as { receiptNo: string }).receiptNo);
            }
            done(status, status === 201 || status === 429 ? undefined : `${status} ${text.slice(0, 300)}`);
          });
          res.on('error', (error) => done(null, String(error)));
        },
      );
      req.on('error', (error) => done(null, String(error)));
      req.end(body);
    });
  };

  // Opens the keep-alive connections before the clock starts, 16 at a time, each held open (its body not
  // yet sent) until all are: a burst of hundreds of SYNs overflows the accept queue, and a dropped SYN is
  // retried only after 1, 3, 7 s — which would be measured as the portal's latency.
  const held: { req: http.ClientRequest; done: Promise<void> }[] = [];
  for (let opened = 0; opened < request.maxInFlight; opened += 16) {
    const wave = Array.from({ length: Math.min(16, request.maxInFlight - opened) }, () => {
      const req = http.request({
        host: '127.0.0.1',
        port: request.port,
        path: '/api/health',
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': 2 },
      });
      const done = new Promise<void>((resolve) => {
        req.on('response', (res) => {
          res.resume();
          res.on('end', resolve);
        });
        req.on('error', () => resolve());
      });
      const connected = new Promise<void>((resolve) => {
        req.on('socket', (socket) => socket.once('connect', () => resolve()));
        req.on('error', () => resolve());
      });
      req.flushHeaders();
      held.push({ req, done });
      return connected;
    });
    await Promise.all(wave);
  }
  for (const { req } of held) {
    req.end('{}');
  }
  await Promise.all(held.map((h) => h.done));

  const pending: Promise<void>[] = [];
  let throttledSends = 0;
  let honestIndex = 0;
  let abusiveIndex = 0;
  started = performance.now();
  const end = started + request.seconds * 1000;
  await new Promise<void>((resolve) => {
    const tick = (): void => {
      const now = performance.now();
      const elapsed = (Math.min(now, end) - started) / 1000;
      const dueHonest = Math.floor(elapsed * request.rate);
      while (honestIndex < dueHonest) {
        if (inFlight >= request.maxInFlight) {
          throttledSends += 1;
          break;
        }
        const i = honestIndex++;
        pending.push(post(honest, bodies[i % bodies.length]!, addressOf(Math.floor(i / request.perAddress))));
      }
      const dueAbusive = Math.floor(elapsed * request.abusiveRate);
      while (abusiveIndex < dueAbusive) {
        const i = abusiveIndex++;
        pending.push(post(abusive, bodies[i % bodies.length]!, '203.0.113.66'));
      }
      if (now >= end) {
        resolve();
      } else {
        setTimeout(tick, 10);
      }
    };
    tick();
  });
  await Promise.all(pending);
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return {
    seconds: Number(seconds.toFixed(2)),
    throttledSends,
    honest: honest.result(),
    abusive: abusive.result(),
  };
}

if (process.send) {
  process.once('message', (message: PortalLoadRequest) => {
    run(message).then(
      (result) => process.send!({ ok: true, result }, () => process.disconnect()),
      (error: unknown) => process.send!({ ok: false, error: String(error) }, () => process.disconnect()),
    );
  });
}
