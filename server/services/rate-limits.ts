// Shared counters for every limit the forum enforces (sign-in, and everything that sends mail), kept by
// rate-limiter-flexible in the database, or in Redis when REDIS_URL is set (the database then stands in
// while Redis is unreachable), so every process behind a load balancer counts the same requests.
import mongoose from 'mongoose';
import { createClient } from 'redis';
import { RateLimiterMongo, RateLimiterRedis, RateLimiterRes, type RateLimiterStoreAbstract } from 'rate-limiter-flexible';
import type { Logger } from '../log';
import { RateLimited, type ErrorKey } from '../errors';

export type Limiter = RateLimiterStoreAbstract;

/** One collection for every limiter; keys are prefixed by the limiter's name. */
const COLLECTION = 'rate_limits';

export interface RateLimitStore {
  /** A limiter of `points` per `durationSeconds` under `name` (same name, same counters, in every process). */
  limiter(name: string, points: number, durationSeconds: number): Limiter;
  close(): Promise<void>;
}

export async function createRateLimitStore(redisUrl: string | null, log: Logger): Promise<RateLimitStore> {
  const limiters = new Map<string, Limiter>();
  const mongoLimiter = (keyPrefix: string, points: number, duration: number) =>
    new RateLimiterMongo({ storeClient: mongoose.connection, tableName: COLLECTION, keyPrefix, points, duration });
  let redis: ReturnType<typeof createClient> | null = null;
  if (redisUrl) {
    redis = createClient({ url: redisUrl });
    redis.on('error', (error: unknown) => log.error('rate limits: redis error (the database counts meanwhile)', error));
    await redis.connect();
  }
  return {
    limiter(name, points, durationSeconds) {
      const key = `${name}/${points}/${durationSeconds}`;
      let limiter = limiters.get(key);
      if (!limiter) {
        limiter = redis
          ? new RateLimiterRedis({
              storeClient: redis,
              useRedisPackage: true,
              keyPrefix: `forum:rl:${name}`,
              points,
              duration: durationSeconds,
              insuranceLimiter: mongoLimiter(name, points, durationSeconds),
            })
          : mongoLimiter(name, points, durationSeconds);
        limiters.set(key, limiter);
      }
      return limiter;
    },
    async close() {
      await redis?.close().catch(() => undefined);
    },
  };
}

/** Seconds to announce in Retry-After for a refused request. */
export function retryAfterSeconds(refusal: RateLimiterRes): number {
  return Math.max(1, Math.ceil(refusal.msBeforeNext / 1000));
}

/** Consumes `points`; a refusal becomes RateLimited (429 with Retry-After), a store error propagates. */
export async function consumeOrRefuse(limiter: Limiter, key: string, refused: ErrorKey, points = 1): Promise<RateLimiterRes> {
  try {
    return await limiter.consume(key, points);
  } catch (refusal) {
    if (!(refusal instanceof RateLimiterRes)) throw refusal;
    const seconds = retryAfterSeconds(refusal);
    throw new RateLimited(refused, seconds);
  }
}
