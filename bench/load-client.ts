import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { opinionText, prng } from './texts.ts';

/*
 * The HTTP load generator, run as a child process (its own event loop, so the server's is not shared):
 * `concurrency` loops each send one POST at a time over keep-alive connections to 127.0.0.1 only, until
 * `seconds` have passed or `maxRequests` were sent. Sends back counts per status and latency percentiles.
 */

export interface LoadRequest {
  port: number;
  path: string;
  token: string;
  clauseStableIds: string[];
  concurrency: number;
  seconds: number;
  maxRequests: number;
}

export interface LoadResult {
  sent: number;
  created: number;
  statuses: Record<string, number>;
  networkErrors: number;
  firstError: string | null;
  seconds: number;
  requestsPerSecond: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
}

const percentile = (sorted: Float64Array, p: number): number =>
  sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

async function run(request: LoadRequest): Promise<LoadResult> {
  const random = prng(7);
  const bodies = Array.from({ length: 500 }, (_, i) => {
    const text = opinionText(random);
    return Buffer.from(
      JSON.stringify({
        clauseStableId: request.clauseStableIds[i % request.clauseStableIds.length]!,
        suggestion: text.suggestion,
        reasons: text.reasons,
        proposedText: text.proposedText,
        kind: i % 5 === 3 ? 'editorial' : 'substantive',
      }),
    );
  });
  const agent = new http.Agent({ keepAlive: true, maxSockets: request.concurrency });
  const latencies = new Float64Array(request.maxRequests);
  const statuses: Record<string, number> = {};
  let sent = 0;
  let networkErrors = 0;
  let firstError: string | null = null;
  const deadline = performance.now() + request.seconds * 1000;

  const post = (body: Buffer): Promise<number> =>
    new Promise((resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port: request.port,
          path: request.path,
          method: 'POST',
          agent,
          headers: {
            authorization: `Bearer ${request.token}`,
            'content-type': 'application/json',
            'content-length': body.length,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const status = res.statusCode ?? 0;
            if (status !== 201 && !firstError) {
              firstError = `${status} ${Buffer.concat(chunks).toString('utf8').slice(0, 300)}`;
            }
            resolve(status);
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });

  const loop = async (): Promise<void> => {
    while (performance.now() < deadline && sent < request.maxRequests) {
      const index = sent++;
      const start = performance.now();
      try {
        const status = await post(bodies[index % bodies.length]!);
        statuses[status] = (statuses[status] ?? 0) + 1;
      } catch (error) {
        networkErrors += 1;
        firstError ??= String(error);
      }
      latencies[index] = performance.now() - start;
    }
  };

  const started = performance.now();
  await Promise.all(Array.from({ length: request.concurrency }, loop));
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  const sorted = latencies.slice(0, sent).sort();
  const round = (ms: number): number => Number(ms.toFixed(2));
  return {
    sent,
    created: statuses['201'] ?? 0,
    statuses,
    networkErrors,
    firstError,
    seconds: round(seconds),
    requestsPerSecond: Math.round(sent / seconds),
    latencyMs: {
      p50: round(percentile(sorted, 50)),
      p90: round(percentile(sorted, 90)),
      p99: round(percentile(sorted, 99)),
      max: round(sorted.length ? sorted[sorted.length - 1]! : 0),
      mean: round(sorted.reduce((a, b) => a + b, 0) / Math.max(1, sent)),
    },
  };
}

if (process.send) {
  process.once('message', (message: LoadRequest) => {
    run(message).then(
      (result) => process.send!({ ok: true, result }, () => process.disconnect()),
      (error: unknown) => process.send!({ ok: false, error: String(error) }, () => process.disconnect()),
    );
  });
}
