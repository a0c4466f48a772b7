import { afterEach, beforeEach, expect, it } from 'vitest';
import type { TestApp } from './app.ts';
import { createTestApp } from './app.ts';
import { describeDb } from './db.ts';

/** The only routes anyone may call without signing in: sign-in, and the public comment portal. */
const PUBLIC = new Set([
  'POST /api/v1/auth/login',
  'GET /api/v1/public/captcha',
  'GET /api/v1/public/rounds/{id}',
  'GET /api/v1/public/rounds/{id}/comments',
  'POST /api/v1/public/rounds/{id}/comments',
  'GET /api/v1/public/receipts/{receiptNo}',
  'GET /api/v1/public/rounds/{id}/summary',
]);

describeDb('every endpoint', (db) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp(db());
  });
  afterEach(() => t.close());

  it('refuses anonymous callers on every route of the OpenAPI document but sign-in', async () => {
    const doc = (await t.anonymous.get('/api/openapi.json')).json<{
      paths: Record<string, Record<string, unknown>>;
    }>();
    const routes = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(routes.length).toBeGreaterThan(25);
    const open: string[] = [];
    for (const route of routes) {
      const [method, path] = route.split(' ') as [string, string];
      const url = path.replace(/\{[^}]+\}/g, 'some-id');
      const response = await t.anonymous.request(method as 'GET', url, method === 'GET' ? undefined : {});
      if (PUBLIC.has(route)) {
        continue;
      }
      if (response.statusCode !== 401 || response.json().error.code !== 'unauthenticated') {
        open.push(`${route} → ${response.statusCode}`);
      }
    }
    expect(open).toEqual([]);
  });
});
