import { AppError } from '../domain/errors.ts';
import { newSecret } from './lib/ids.ts';

export type HashAlgorithm = 'sm3' | 'sha256';

export interface Config {
  databaseUrl: string;
  port: number;
  host: string;
  ledgerHash: HashAlgorithm;
  /** Session idle timeout and absolute lifetime, in seconds. */
  sessionIdleSeconds: number;
  sessionAbsoluteSeconds: number;
  /** Failed logins before an account is locked, and for how long (seconds). */
  lockoutThreshold: number;
  lockoutSeconds: number;
  /** Login attempts allowed per client address per minute. */
  loginRateLimit: number;
  bodyLimitBytes: number;
  uploadLimitBytes: number;
  secureCookies: boolean;
  logLevel: string;
  /** Optional language model (OpenAI-compatible base URL, e.g. http://10.0.0.5:8000/v1); null: off. */
  llmUrl: string | null;
  llmModel: string | null;
  llmApiKey: string | null;
  /** How long one language-model request may take, in milliseconds. */
  llmTimeoutMs: number;
  /** Public comment portal: CAPTCHA on (off only for load tests), its HMAC key and work, limits per address. */
  portalCaptcha: boolean;
  portalCaptchaKey: string;
  portalCaptchaMaxNumber: number;
  portalRatePerMinute: number;
  portalRatePerDay: number;
  portalBodyLimitBytes: number;
  /** SMTP server for notification e-mail (smtp://user:pass@host:port or smtps://…); null: no e-mail. */
  smtpUrl: string | null;
  mailFrom: string;
  /** How long one webhook request to a group robot may take, in milliseconds. */
  webhookTimeoutMs: number;
  /** Attempts per notification delivery before it joins the dead-letter list. */
  notifyMaxAttempts: number;
  /**
   * Key that encrypts stored webhook secrets and public commenters' names and contacts (any string; hashed
   * to an AES-256 key); null: stored as given. Set it in production, the same on every instance.
   */
  secretKey: string | null;
}

const DEFAULT_DATABASE_URL = 'sqlite:./data/concord.db';

function intFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 1): number {
  const raw = env[name];
  if (raw === undefined || raw === '') {
    return fallback;
  }
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    throw new AppError('validation_failed', `${name} must be an integer ≥ ${min}, got "${raw}"`, {
      field: name,
    });
  }
  return value;
}

/** Reads and validates the configuration once, at start-up. `.env.example` lists the same variables. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const databaseUrl = env.CONCORD_DATABASE_URL || DEFAULT_DATABASE_URL;
  if (!/^(sqlite:|postgres:\/\/|postgresql:\/\/)/.test(databaseUrl)) {
    throw new AppError(
      'validation_failed',
      `CONCORD_DATABASE_URL must be sqlite:PATH or postgres://…, got "${databaseUrl}"`,
      { field: 'CONCORD_DATABASE_URL' },
    );
  }
  const ledgerHash = (env.CONCORD_LEDGER_HASH || 'sm3').toLowerCase();
  if (ledgerHash !== 'sm3' && ledgerHash !== 'sha256') {
    throw new AppError(
      'validation_failed',
      `CONCORD_LEDGER_HASH must be sm3 or sha256, got "${ledgerHash}"`,
      {
        field: 'CONCORD_LEDGER_HASH',
      },
    );
  }
  const llmUrl = env.CONCORD_LLM_URL || null;
  if (llmUrl !== null && !/^https?:\/\/[^/\s]+/.test(llmUrl)) {
    throw new AppError('validation_failed', `CONCORD_LLM_URL must be an http(s) URL, got "${llmUrl}"`, {
      field: 'CONCORD_LLM_URL',
    });
  }
  const llmModel = env.CONCORD_LLM_MODEL || null;
  if (llmUrl !== null && llmModel === null) {
    throw new AppError('validation_failed', 'CONCORD_LLM_MODEL is required when CONCORD_LLM_URL is set', {
      field: 'CONCORD_LLM_MODEL',
    });
  }
  const smtpUrl = env.CONCORD_SMTP_URL || null;
  if (smtpUrl !== null && !/^smtps?:\/\/[^/\s]+/.test(smtpUrl)) {
    throw new AppError('validation_failed', `CONCORD_SMTP_URL must be an smtp(s) URL`, {
      field: 'CONCORD_SMTP_URL',
    });
  }
  return {
    databaseUrl,
    port: intFromEnv(env, 'PORT', 3000, 0),
    host: env.HOST || '0.0.0.0',
    ledgerHash,
    sessionIdleSeconds: intFromEnv(env, 'CONCORD_SESSION_IDLE_SECONDS', 30 * 60),
    sessionAbsoluteSeconds: intFromEnv(env, 'CONCORD_SESSION_ABSOLUTE_SECONDS', 12 * 60 * 60),
    lockoutThreshold: intFromEnv(env, 'CONCORD_LOCKOUT_THRESHOLD', 5),
    lockoutSeconds: intFromEnv(env, 'CONCORD_LOCKOUT_SECONDS', 15 * 60),
    loginRateLimit: intFromEnv(env, 'CONCORD_LOGIN_RATE_LIMIT', 20),
    bodyLimitBytes: intFromEnv(env, 'CONCORD_BODY_LIMIT_BYTES', 1024 * 1024),
    uploadLimitBytes: intFromEnv(env, 'CONCORD_UPLOAD_LIMIT_BYTES', 20 * 1024 * 1024),
    secureCookies: env.CONCORD_SECURE_COOKIES === 'true',
    logLevel: env.CONCORD_LOG_LEVEL || 'info',
    llmUrl,
    llmModel,
    llmApiKey: env.CONCORD_LLM_API_KEY || null,
    llmTimeoutMs: intFromEnv(env, 'CONCORD_LLM_TIMEOUT_MS', 60_000),
    portalCaptcha: env.CONCORD_PORTAL_CAPTCHA !== 'off',
    // Without a configured key each process makes its own: fine for one instance, not for several.
    portalCaptchaKey: env.CONCORD_PORTAL_CAPTCHA_KEY || newSecret(),
    portalCaptchaMaxNumber: intFromEnv(env, 'CONCORD_PORTAL_CAPTCHA_MAX_NUMBER', 50_000),
    portalRatePerMinute: intFromEnv(env, 'CONCORD_PORTAL_RATE_PER_MINUTE', 5),
    portalRatePerDay: intFromEnv(env, 'CONCORD_PORTAL_RATE_PER_DAY', 30),
    portalBodyLimitBytes: intFromEnv(env, 'CONCORD_PORTAL_BODY_LIMIT_BYTES', 64 * 1024),
    smtpUrl,
    mailFrom: env.CONCORD_MAIL_FROM || 'Concord <concord@localhost>',
    webhookTimeoutMs: intFromEnv(env, 'CONCORD_WEBHOOK_TIMEOUT_MS', 5_000),
    notifyMaxAttempts: intFromEnv(env, 'CONCORD_NOTIFY_MAX_ATTEMPTS', 5),
    secretKey: env.CONCORD_SECRET_KEY || null,
  };
}
