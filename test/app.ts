import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../src/server/app.ts';
import type { Config } from '../src/server/config.ts';
import { loadConfig } from '../src/server/config.ts';
import type { Database } from '../src/server/db/database.ts';
import type { Services } from '../src/server/services/index.ts';
import { createServices } from '../src/server/services/index.ts';
import type { TestUser } from './factories.ts';

export interface TestApp {
  app: FastifyInstance;
  services: Services;
  config: Config;
  /** Signs in through the API and returns a client that sends the session cookie and CSRF header. */
  signIn(user: Pick<TestUser, 'login' | 'password'>): Promise<TestClient>;
  anonymous: TestClient;
  close(): Promise<void>;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export class TestClient {
  constructor(
    private readonly app: FastifyInstance,
    private readonly headers: Record<string, string> = {},
  ) {}

  request(
    method: Method,
    url: string,
    body?: unknown,
    extra: Partial<InjectOptions> = {},
  ): Promise<LightMyRequestResponse> {
    return this.app.inject({
      method,
      url,
      headers: { ...this.headers, ...(extra.headers as Record<string, string> | undefined) },
      ...(body === undefined ? {} : { payload: body as InjectOptions['payload'] }),
      ...(extra.payload === undefined ? {} : { payload: extra.payload }),
    });
  }

  get = (url: string) => this.request('GET', url);
  post = (url: string, body?: unknown) => this.request('POST', url, body ?? {});
  patch = (url: string, body?: unknown) => this.request('PATCH', url, body ?? {});
  put = (url: string, body?: unknown) => this.request('PUT', url, body ?? {});
  delete = (url: string) => this.request('DELETE', url);

  /** Uploads one file as multipart/form-data, with optional extra fields. */
  upload(
    url: string,
    file: { name: string; data: Buffer; field?: string },
    fields: Record<string, string> = {},
  ) {
    const boundary = `----concord${Math.random().toString(16).slice(2)}`;
    const parts: Buffer[] = [];
    for (const [key, value] of Object.entries(fields)) {
      parts.push(
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${key}"\r\n\r\n${value}\r\n`),
      );
    }
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${file.field ?? 'file'}"; filename="${encodeURIComponent(file.name)}"; filename*=UTF-8''${encodeURIComponent(file.name)}\r\nContent-Type: application/octet-stream\r\n\r\n`,
      ),
      file.data,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    );
    return this.request('POST', url, undefined, {
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: Buffer.concat(parts),
    });
  }

  /** A client with the same cookie but different extra headers (e.g. without CSRF). */
  with(headers: Record<string, string | null>): TestClient {
    const merged: Record<string, string> = { ...this.headers };
    for (const [key, value] of Object.entries(headers)) {
      if (value === null) {
        delete merged[key];
      } else {
        merged[key] = value;
      }
    }
    return new TestClient(this.app, merged);
  }
}

export async function createTestApp(
  database: Database,
  options: { now?: () => Date; env?: Record<string, string> } = {},
): Promise<TestApp> {
  const config = loadConfig({
    CONCORD_DATABASE_URL: database.url.startsWith('postgres') ? database.url : 'sqlite::memory:',
    ...options.env,
  });
  const services = createServices({ database, config, ...(options.now ? { now: options.now } : {}) });
  const app = await buildApp({ services });
  await app.ready();
  return {
    app,
    services,
    config,
    anonymous: new TestClient(app),
    async signIn(user) {
      const response = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { login: user.login, password: user.password },
      });
      if (response.statusCode !== 200) {
        throw new Error(`sign-in of ${user.login} failed: ${response.statusCode} ${response.body}`);
      }
      const cookie = response.cookies.find((c) => c.name === 'concord_session');
      const { csrfToken } = response.json<{ csrfToken: string }>();
      return new TestClient(app, {
        cookie: `concord_session=${cookie?.value ?? ''}`,
        'x-csrf-token': csrfToken,
      });
    },
    close: () => app.close(),
  };
}
