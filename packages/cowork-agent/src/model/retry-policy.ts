/** How long to wait between attempts of a model request. */
export interface RetryPolicy {
    /** Attempts in all, the first included. */
    maxAttempts: number;
    /** Backoff before the first retry; doubles each time. */
    baseDelayMs: number;
    /** Backoff never exceeds this. */
    maxDelayMs: number;
    /** A server asking to wait longer than this is not retried; the error says how long it asked for. */
    maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
    maxAttempts: 5,
    baseDelayMs: 1000,
    maxDelayMs: 32000,
    maxRetryAfterMs: 5 * 60 * 1000
};

/**
 * Exponential backoff with jitter for retry number `retry` (1 = first retry). The jitter takes up
 * to a quarter off, so clients that failed together do not come back together.
 */
export function backoffDelayMs(retry: number, policy: RetryPolicy, random: () => number = Math.random): number {
    const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry - 1));
    return Math.round(exp * (1 - 0.25 * random()));
}

/** The wait a response asks for: `retry-after-ms` (milliseconds), else `retry-after` (seconds or an HTTP date). */
export function retryAfterMs(headers: { get(name: string): string | null } | undefined, now: number = Date.now()): number | undefined {
    if (!headers) {
        return undefined;
    }
    const ms = headers.get('retry-after-ms');
    if (ms !== null && ms.trim() !== '' && Number.isFinite(Number(ms)) && Number(ms) >= 0) {
        return Number(ms);
    }
    const value = headers.get('retry-after');
    if (value === null || value.trim() === '') {
        return undefined;
    }
    const seconds = Number(value);
    if (Number.isFinite(seconds) && seconds >= 0) {
        return seconds * 1000;
    }
    const date = Date.parse(value);
    return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Waits `ms`, or rejects with `onAbort()` as soon as the signal fires. */
export function abortableSleep(ms: number, signal: AbortSignal, onAbort: () => Error): Promise<void> {
    return new Promise((resolve, reject) => {
        if (signal.aborted) {
            reject(onAbort());
            return;
        }
        const done = (): void => {
            signal.removeEventListener('abort', abort);
            resolve();
        };
        const abort = (): void => {
            clearTimeout(timer);
            reject(onAbort());
        };
        const timer = setTimeout(done, ms);
        signal.addEventListener('abort', abort, { once: true });
    });
}
