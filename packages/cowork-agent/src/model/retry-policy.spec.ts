import { expect } from 'chai';
import { abortableSleep, backoffDelayMs, DEFAULT_RETRY_POLICY, retryAfterMs } from './retry-policy';

const headers = (h: Record<string, string>) => new Headers(h);

describe('retry policy', () => {
    it('doubles the backoff per retry up to the maximum, with at most a quarter of jitter taken off', () => {
        const policy = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 1000, maxDelayMs: 8000 };
        expect([1, 2, 3, 4, 5].map(n => backoffDelayMs(n, policy, () => 0))).to.deep.equal([1000, 2000, 4000, 8000, 8000]);
        expect(backoffDelayMs(1, policy, () => 1)).to.equal(750);
        expect(backoffDelayMs(3, policy, () => 0.5)).to.equal(3500);
    });

    it('reads retry-after-ms first, then retry-after in seconds or as an HTTP date', () => {
        expect(retryAfterMs(headers({ 'retry-after-ms': '250', 'retry-after': '9' }))).to.equal(250);
        expect(retryAfterMs(headers({ 'retry-after': '2' }))).to.equal(2000);
        expect(retryAfterMs(headers({ 'retry-after': '0.5' }))).to.equal(500);
        const now = Date.parse('2026-01-01T00:00:00Z');
        expect(retryAfterMs(headers({ 'retry-after': 'Thu, 01 Jan 2026 00:00:30 GMT' }), now)).to.equal(30000);
        expect(retryAfterMs(headers({ 'retry-after': 'soon' }))).to.equal(undefined);
        expect(retryAfterMs(headers({}))).to.equal(undefined);
        expect(retryAfterMs(undefined)).to.equal(undefined);
    });

    it('stops waiting as soon as the signal fires', async () => {
        const controller = new AbortController();
        const wait = abortableSleep(60000, controller.signal, () => new Error('cancelled'));
        setTimeout(() => controller.abort(), 5);
        let error: unknown;
        try {
            await wait;
        } catch (err) {
            error = err;
        }
        expect((error as Error).message).to.equal('cancelled');
    });
});
