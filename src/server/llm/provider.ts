/**
 * The optional language model: an OpenAI-compatible chat-completions endpoint inside the department's
 * network (vLLM, Ollama, an internal gateway …) that can word a clause summary or a revision draft more
 * fluently than the extractive analysis. It is off unless CONCORD_LLM_URL is set, and everything works
 * without it.
 *
 * What it writes is always a draft for a person to review and approve: the prompts allow only the given
 * opinions as material and ask for the opinion ids behind every statement, so a reviewer can check each
 * one against its source. Nothing it returns is stored or published without that approval.
 */
import { AppError } from '../../domain/errors.ts';

export interface LanguageModelConfig {
  /** Base URL such as http://10.0.0.5:8000/v1; null or empty: no language model. */
  llmUrl?: string | null;
  llmModel?: string | null;
  llmApiKey?: string | null;
  llmTimeoutMs?: number;
}

export interface LanguageModelDraft {
  /** Draft text for a person to review. */
  text: string;
  /** The model that wrote it, as the endpoint reports it. */
  model: string;
}

export interface SummaryInput {
  clauseText: string;
  /** Sentences quoted from opinions (the extractive summary), each with the opinion it comes from. */
  sentences: readonly { text: string; opinionId: string }[];
}

export interface RevisionInput {
  clauseText: string;
  /** The opinions to reflect; `id` is cited when given, else the opinion's position (1, 2 …). */
  opinions: readonly { id?: string; text: string; proposedText?: string | null }[];
}

/** Drafts written by a language model; each is a proposal for a person to approve, never a decision. */
export interface LanguageModel {
  summarizeClause(input: SummaryInput): Promise<LanguageModelDraft>;
  draftRevision(input: RevisionInput): Promise<LanguageModelDraft>;
}

export interface ChatMessage {
  role: 'system' | 'user';
  content: string;
}

const DEFAULT_TIMEOUT_MS = 60_000;
const TEMPERATURE = 0.2;
/** Opinion text sent in one request, at most (characters); the rest is left out and counted. */
const MAX_MATERIAL_CHARS = 16_000;
/** Characters of an error response kept for the operator. */
const MAX_ERROR_BODY = 300;

const SYSTEM_PROMPT = [
  '你是规划编制工作中的意见整理助手。',
  '你只能依据用户给出的条款原文和意见作答，不得引入意见中没有的事实、数据、政策或观点，不得猜测。',
  '每一句话末尾用方括号注明所依据的意见编号，例如 [op-12]；依据多条意见时写作 [op-3, op-7]。',
  '使用简体中文，语言平实、准确。你的输出只是草稿，将由工作人员审核后才能使用。',
].join('\n');

function oneLine(text: string): string {
  return text.replace(/\s+/gu, ' ').trim();
}

/** Lines of material up to the size limit, and a note of how many were left out. */
function material(lines: readonly string[]): string {
  const kept: string[] = [];
  let size = 0;
  for (const line of lines) {
    if (size + line.length > MAX_MATERIAL_CHARS && kept.length > 0) {
      break;
    }
    kept.push(line);
    size += line.length;
  }
  const left = lines.length - kept.length;
  return left > 0 ? `${kept.join('\n')}\n（另有 ${left} 条未列出）` : kept.join('\n');
}

/** The messages asking for a summary of the opinions on a clause. */
export function summaryMessages(input: SummaryInput): ChatMessage[] {
  const lines = input.sentences
    .filter((s) => s.text.trim() !== '')
    .map((s) => `[${oneLine(s.opinionId)}] ${oneLine(s.text)}`);
  return [
    { role: 'system', content: SYSTEM_PROMPT },
    {
      role: 'user',
      content: [
        '条款原文：',
        input.clauseText.trim(),
        '',
        '针对该条款的意见摘录（每行一条，方括号内为意见编号）：',
        material(lines),
        '',
        '请写一段不超过 300 字的摘要：归纳各方的核心诉求、共识和主要分歧。',
        '只使用以上意见摘录，每句末尾注明意见编号。',
      ].join('\n'),
    },
  ];
}

/** The messages asking for a revision of a clause that reflects the opinions. */
export function revisionMessages(input: RevisionInput): ChatMessage[] {
  const lines = input.opinions
    .filter((o) => o.text.trim() !== '' || (o.proposedText ?? '').trim() !== '')
    .map((o, i) => {
      const id = oneLine(o.id ?? String(i + 1));
      const proposed = (o.proposedText ?? '').trim();
      return proposed === ''
        ? `[${id}] 意见：${oneLine(o.text)}`
        : `[${id}] 意见：${oneLine(o.text)} 建议修改为：${oneLine(proposed)}`;
    });
  return [
    { role: 'system', content: SYSTEM_PROMPT },
    {
      role: 'user',
      content: [
        '条款原文：',
        input.clauseText.trim(),
        '',
        '对该条款的意见（每行一条，方括号内为意见编号）：',
        material(lines),
        '',
        '请据此起草该条款的修改稿。先给出修改后的条款全文；未被意见涉及的内容保持原文不变，',
        '意见之间相互矛盾时保留原文并在依据中说明。然后另起一行，以“修改依据：”开头，',
        '逐处说明每项修改采纳了哪些意见（注明意见编号）。只使用以上意见。',
      ].join('\n'),
    },
  ];
}

function unavailable(message: string, details: Record<string, unknown>): AppError {
  // The endpoint is a dependency of the server: its failures are ours to report (5xx), not the user's.
  return new AppError('unavailable', message, { provider: 'language_model', ...details });
}

function isTimeout(error: unknown): boolean {
  const name = (error as { name?: unknown } | null)?.name;
  return name === 'TimeoutError' || name === 'AbortError';
}

interface CompletionBody {
  model?: unknown;
  choices?: { message?: { content?: unknown } }[];
}

/** Reasoning models may put their deliberation in <think> tags before the answer. */
function answerOf(content: string): string {
  return content.replace(/<think>[\s\S]*?<\/think>/gu, '').trim();
}

/** An OpenAI-compatible chat-completions client; null when no URL is configured (the default). */
export function createLanguageModel(config: LanguageModelConfig): LanguageModel | null {
  const base = (config.llmUrl ?? '').trim().replace(/\/+$/u, '');
  if (base === '') {
    return null;
  }
  const model = (config.llmModel ?? '').trim();
  if (model === '') {
    throw new AppError('validation_failed', 'a language model URL is configured without a model name', {
      field: 'CONCORD_LLM_MODEL',
    });
  }
  const apiKey = (config.llmApiKey ?? '').trim();
  const timeoutMs = config.llmTimeoutMs ?? DEFAULT_TIMEOUT_MS;
  const endpoint = `${base}/chat/completions`;
  // The key must never reach a log or an error message, even if the endpoint echoes it back.
  const redact = (text: string): string => (apiKey === '' ? text : text.split(apiKey).join('***'));

  async function complete(messages: ChatMessage[]): Promise<LanguageModelDraft> {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/json',
    };
    if (apiKey !== '') {
      headers.authorization = `Bearer ${apiKey}`;
    }
    let response: Response;
    let raw: string;
    try {
      response = await fetch(endpoint, {
        method: 'POST',
        headers,
        body: JSON.stringify({ model, messages, temperature: TEMPERATURE }),
        signal: AbortSignal.timeout(timeoutMs),
      });
      raw = await response.text();
    } catch (error) {
      if (isTimeout(error)) {
        throw unavailable(`the language model did not answer within ${timeoutMs} ms`, { reason: 'timeout' });
      }
      const cause = error instanceof Error ? error.message : String(error);
      throw unavailable(`the language model could not be reached: ${redact(cause)}`, { reason: 'network' });
    }
    if (!response.ok) {
      throw unavailable(`the language model answered HTTP ${response.status}`, {
        reason: 'http_error',
        status: response.status,
        body: redact(raw.slice(0, MAX_ERROR_BODY)),
      });
    }
    let body: CompletionBody | null;
    try {
      body = JSON.parse(raw) as CompletionBody | null;
    } catch {
      throw unavailable('the language model answered with something other than JSON', {
        reason: 'bad_response',
      });
    }
    const content = body?.choices?.[0]?.message?.content;
    const text = typeof content === 'string' ? answerOf(content) : '';
    if (text === '') {
      throw unavailable('the language model answered without a completion', { reason: 'bad_response' });
    }
    const reported = body?.model;
    return { text, model: typeof reported === 'string' && reported !== '' ? reported : model };
  }

  return {
    async summarizeClause(input) {
      if (!input.sentences.some((s) => s.text.trim() !== '')) {
        throw new AppError('bad_request', 'there are no opinion sentences to summarise');
      }
      return complete(summaryMessages(input));
    },
    async draftRevision(input) {
      if (!input.opinions.some((o) => o.text.trim() !== '' || (o.proposedText ?? '').trim() !== '')) {
        throw new AppError('bad_request', 'there are no opinions to draft a revision from');
      }
      return complete(revisionMessages(input));
    },
  };
}
