import { expect, it } from 'vitest';
import { buildApp } from '../src/server/app.ts';
import { loadConfig } from '../src/server/config.ts';
import { createServices } from '../src/server/services/index.ts';
import { describeDb } from './db.ts';
import { createUnit } from './factories.ts';

describeDb('error mapping', (db) => {
  it('turns a unique-constraint violation from the database into 409, and hides other failures', async () => {
    const services = createServices({
      database: db(),
      config: loadConfig({ CONCORD_DATABASE_URL: 'sqlite::memory:' }),
    });
    const app = await buildApp({ services });
    const unit = await createUnit(db(), { code: 'DUP' });
    app.get('/api/test/duplicate', { config: { public: true } }, async () => {
      await db()
        .db.insertInto('unit')
        .values({
          id: 'other',
          code: unit.code,
          name: 'x',
          parent_id: null,
          level: 'city',
          areas: '[]',
          keywords: '[]',
          created_at: 'x',
          updated_at: 'x',
        })
        .execute();
      return {};
    });
    app.get('/api/test/crash', { config: { public: true } }, async () => {
      throw new Error('secret connection string postgres://admin:pw@db');
    });
    await app.ready();
    try {
      const duplicate = await app.inject({ method: 'GET', url: '/api/test/duplicate' });
      expect(duplicate.statusCode).toBe(409);
      expect(duplicate.json().error.code).toBe('conflict');
      const crash = await app.inject({ method: 'GET', url: '/api/test/crash' });
      expect(crash.statusCode).toBe(500);
      expect(crash.json()).toEqual({ error: { code: 'internal', message: 'Internal server error.' } });
      expect(crash.body).not.toContain('secret');
    } finally {
      await app.close();
    }
  });
});
