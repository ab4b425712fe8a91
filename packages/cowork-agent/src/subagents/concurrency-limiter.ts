/** At most `limit` holders at once; the rest wait in arrival order. */
export class ConcurrencyLimiter {
    private active = 0;
    private readonly queue: (() => void)[] = [];

    constructor(private readonly limit: number) { }

    async run<T>(job: () => Promise<T>, signal?: AbortSignal): Promise<T> {
        await this.acquire(signal);
        try {
            return await job();
        } finally {
            this.release();
        }
    }

    get waiting(): number {
        return this.queue.length;
    }

    private acquire(signal?: AbortSignal): Promise<void> {
        if (this.active < Math.max(1, this.limit)) {
            this.active++;
            return Promise.resolve();
        }
        return new Promise((resolve, reject) => {
            const go = () => {
                signal?.removeEventListener('abort', onAbort);
                this.active++;
                resolve();
            };
            const onAbort = () => {
                const i = this.queue.indexOf(go);
                if (i >= 0) {
                    this.queue.splice(i, 1);
                }
                reject(new Error('cancelled while queued'));
            };
            signal?.addEventListener('abort', onAbort, { once: true });
            this.queue.push(go);
        });
    }

    private release(): void {
        this.active--;
        const next = this.queue.shift();
        next?.();
    }
}
