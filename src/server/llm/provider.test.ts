import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../domain/errors.ts';
import { loadConfig } from '../config.ts';
import { createLanguageModel } from './provider.ts';

interface Received {
  method: string;
  url: string;
  authorization: string | undefined;
  body: { model: string; temperature: number; messages: { role: string; content: string }[] };
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

const API_KEY = 'sk-test-secret-123';
let server: Server;
let baseUrl: string;
let received: Received[] = [];
let handler: Handler;

function completion(content: string, model = 'qwen-local'): string {
  return JSON.stringify({
    id: 'chatcmpl-1',
    object: 'chat.completion',
    model,
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
  });
}

const answer =
  (status: number, body: string): Handler =>
  (_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(body);
  };

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({
        method: req.method ?? '',
        url: req.url ?? '',
        authorization: req.headers.authorization,
        body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
      });
      handler(req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  received = [];
  handler = answer(200, completion('各方支持加快充电桩建设 [op-1]，但对资金来源有分歧 [op-2]。'));
});

const model = (overrides: Record<string, unknown> = {}) =>
  createLanguageModel({ llmUrl: baseUrl, llmModel: 'qwen-local', llmApiKey: API_KEY, ...overrides })!;

async function failure(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

const SUMMARY_INPUT = {
  clauseText: '加快充电基础设施建设，到2027年公共充电桩达到5万个。',
  sentences: [
    { text: '建议老旧小区优先配建充电桩。', opinionId: 'op-1' },
    { text: '资金来源应当明确，\n不能全部由区财政承担。', opinionId: 'op-2' },
  ],
};

describe('createLanguageModel', () => {
  it('is off when no URL is configured', () => {
    expect(createLanguageModel({})).toBeNull();
    expect(createLanguageModel({ llmUrl: null, llmModel: 'm' })).toBeNull();
    expect(createLanguageModel({ llmUrl: '  ' })).toBeNull();
  });

  it('refuses a URL without a model name', () => {
    expect(() => createLanguageModel({ llmUrl: baseUrl })).toThrow(AppError);
  });
});

describe('summarizeClause', () => {
  it('posts the opinions to chat/completions and returns the draft and the model', async () => {
    const result = await model({ llmUrl: `${baseUrl}/` }).summarizeClause(SUMMARY_INPUT);
    expect(result).toEqual({
      text: '各方支持加快充电桩建设 [op-1]，但对资金来源有分歧 [op-2]。',
      model: 'qwen-local',
    });
    expect(received).toHaveLength(1);
    const [request] = received;
    expect(request!.method).toBe('POST');
    expect(request!.url).toBe('/v1/chat/completions');
    expect(request!.authorization).toBe(`Bearer ${API_KEY}`);
    expect(request!.body.model).toBe('qwen-local');
    expect(request!.body.temperature).toBe(0.2);
    const [system, user] = request!.body.messages;
    expect(system!.role).toBe('system');
    expect(system!.content).toContain('只能依据');
    expect(system!.content).toContain('意见编号');
    expect(system!.content).toContain('草稿');
    expect(user!.role).toBe('user');
    expect(user!.content).toContain(SUMMARY_INPUT.clauseText);
    expect(user!.content).toContain('[op-1] 建议老旧小区优先配建充电桩。');
    // One line per opinion, whatever line breaks the opinion had.
    expect(user!.content).toContain('[op-2] 资金来源应当明确， 不能全部由区财政承担。');
  });

  it('sends no Authorization header without a key and keeps the configured model name if none is reported', async () => {
    handler = answer(200, JSON.stringify({ choices: [{ message: { content: 'Summary [op-1].' } }] }));
    const result = await model({ llmApiKey: null }).summarizeClause(SUMMARY_INPUT);
    expect(result).toEqual({ text: 'Summary [op-1].', model: 'qwen-local' });
    expect(received[0]!.authorization).toBeUndefined();
  });

  it('drops the deliberation a reasoning model puts in think tags', async () => {
    handler = answer(200, completion('<think>先看意见一……</think>\n\n支持者居多 [op-1]。'));
    expect((await model().summarizeClause(SUMMARY_INPUT)).text).toBe('支持者居多 [op-1]。');
  });

  it('refuses to summarise nothing without calling the endpoint', async () => {
    const error = await failure(model().summarizeClause({ clauseText: '条款', sentences: [] }));
    expect(error.code).toBe('bad_request');
    expect(received).toHaveLength(0);
  });

  it('reports an HTTP 500 clearly, without the API key', async () => {
    handler = answer(500, JSON.stringify({ error: `internal failure for key ${API_KEY}` }));
    const error = await failure(model().summarizeClause(SUMMARY_INPUT));
    expect(error.code).toBe('unavailable');
    expect(error.message).toContain('HTTP 500');
    expect(error.details).toMatchObject({ provider: 'language_model', reason: 'http_error', status: 500 });
    expect(JSON.stringify(error.details)).not.toContain(API_KEY);
    expect(JSON.stringify(error.details)).toContain('***');
    expect(error.message).not.toContain(API_KEY);
  });

  it('reports a response that is not JSON or has no completion', async () => {
    handler = answer(200, '<html>gateway</html>');
    const notJson = await failure(model().summarizeClause(SUMMARY_INPUT));
    expect(notJson.details).toMatchObject({ reason: 'bad_response' });
    handler = answer(200, JSON.stringify({ choices: [] }));
    const empty = await failure(model().summarizeClause(SUMMARY_INPUT));
    expect(empty.details).toMatchObject({ reason: 'bad_response' });
    handler = answer(200, 'null');
    const nullBody = await failure(model().summarizeClause(SUMMARY_INPUT));
    expect(nullBody.details).toMatchObject({ reason: 'bad_response' });
  });

  it('gives up after the timeout', async () => {
    handler = () => {
      // Never answers: the client's timeout must end the request.
    };
    const started = Date.now();
    const error = await failure(model({ llmTimeoutMs: 200 }).summarizeClause(SUMMARY_INPUT));
    expect(error.code).toBe('unavailable');
    expect(error.details).toMatchObject({ reason: 'timeout' });
    expect(error.message).toContain('200 ms');
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('reports an endpoint that cannot be reached', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const error = await failure(
      model({ llmUrl: `http://127.0.0.1:${port}/v1` }).summarizeClause(SUMMARY_INPUT),
    );
    expect(error.details).toMatchObject({ reason: 'network' });
  });

  it('leaves out opinions beyond the size limit and says how many', async () => {
    const sentences = Array.from({ length: 400 }, (_, i) => ({
      text: `意见内容${'很长'.repeat(50)}${i}`,
      opinionId: `op-${i}`,
    }));
    await model().summarizeClause({ clauseText: '条款', sentences });
    const user = received[0]!.body.messages[1]!.content;
    expect(user).toContain('[op-0]');
    expect(user).not.toContain('[op-399]');
    expect(user).toMatch(/另有 \d+ 条未列出/u);
  });
});

describe('draftRevision', () => {
  it('sends the clause, the opinions and their proposed texts, cited by id or position', async () => {
    handler = answer(
      200,
      completion('加快充电基础设施建设，到2027年公共充电桩达到6万个。\n修改依据：采纳 [1]。'),
    );
    const result = await model().draftRevision({
      clauseText: '加快充电基础设施建设，到2027年公共充电桩达到5万个。',
      opinions: [
        { text: '目标偏低，建议提高。', proposedText: '到2027年公共充电桩达到6万个。' },
        { id: 'op-9', text: 'Please add charging in old estates 🚗' },
        { text: '   ' },
      ],
    });
    expect(result.text).toContain('修改依据');
    const user = received[0]!.body.messages[1]!.content;
    expect(user).toContain('[1] 意见：目标偏低，建议提高。 建议修改为：到2027年公共充电桩达到6万个。');
    expect(user).toContain('[op-9] 意见：Please add charging in old estates 🚗');
    expect(user).not.toContain('[3]');
    expect(received[0]!.body.messages[0]!.content).toContain('草稿');
  });

  it('refuses to draft from no opinions', async () => {
    const error = await failure(model().draftRevision({ clauseText: '条款', opinions: [{ text: '' }] }));
    expect(error.code).toBe('bad_request');
    expect(received).toHaveLength(0);
  });
});

describe('configuration', () => {
  it('reads the language-model keys, off by default', () => {
    const off = loadConfig({});
    expect(off).toMatchObject({ llmUrl: null, llmModel: null, llmApiKey: null, llmTimeoutMs: 60_000 });
    expect(createLanguageModel(off)).toBeNull();
    const on = loadConfig({
      CONCORD_LLM_URL: 'http://10.0.0.5:8000/v1',
      CONCORD_LLM_MODEL: 'qwen-local',
      CONCORD_LLM_API_KEY: 'k',
      CONCORD_LLM_TIMEOUT_MS: '5000',
    });
    expect(on).toMatchObject({
      llmUrl: 'http://10.0.0.5:8000/v1',
      llmModel: 'qwen-local',
      llmApiKey: 'k',
      llmTimeoutMs: 5000,
    });
    expect(createLanguageModel(on)).not.toBeNull();
  });

  it('refuses a malformed URL, a URL without a model and a bad timeout', () => {
    expect(() => loadConfig({ CONCORD_LLM_URL: 'ftp://x', CONCORD_LLM_MODEL: 'm' })).toThrow(AppError);
    expect(() => loadConfig({ CONCORD_LLM_URL: 'http://10.0.0.5:8000/v1' })).toThrow(/CONCORD_LLM_MODEL/u);
    expect(() => loadConfig({ CONCORD_LLM_TIMEOUT_MS: '0' })).toThrow(/CONCORD_LLM_TIMEOUT_MS/u);
  });
});
