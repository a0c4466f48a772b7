import { AppError } from '../../domain/errors.ts';
import { hitRateLimit } from '../repositories/rate-limit.repository.ts';
import type { ServiceContext } from './context.ts';

export class RateLimitService {
  constructor(private readonly ctx: ServiceContext) {}

  /** Counts one hit on `key` in the current window; refuses past `limit` hits a window. */
  async hit(options: { key: string; limit: number; windowSeconds: number }): Promise<void> {
    const windowMs = options.windowSeconds * 1000;
    const now = this.ctx.now().getTime();
    const windowStart = new Date(Math.floor(now / windowMs) * windowMs).toISOString();
    const count = await hitRateLimit(this.ctx.database.db, { key: options.key, windowStart });
    if (count > options.limit) {
      const retryAfter = Math.ceil((Date.parse(windowStart) + windowMs - now) / 1000);
      throw new AppError('rate_limited', 'Too many requests; try again later.', {
        retryAfterSeconds: retryAfter,
      });
    }
  }
}
