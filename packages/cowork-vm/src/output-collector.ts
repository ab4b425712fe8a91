import { StringDecoder } from 'string_decoder';

/**
 * Collects one output stream as text: decoded across chunk boundaries, passed on as it comes,
 * and kept in memory up to a cap (the head and the tail; the middle is dropped and marked).
 */
export class OutputCollector {
    private readonly decoder = new StringDecoder('utf8');
    private head = '';
    private tail = '';
    private dropped = 0;

    constructor(private readonly cap: number, private readonly onText?: (text: string) => void) { }

    push(chunk: Buffer): void {
        this.add(this.decoder.write(chunk));
    }

    end(): void {
        this.add(this.decoder.end());
    }

    get truncated(): boolean {
        return this.dropped > 0;
    }

    text(): string {
        if (this.dropped === 0) {
            return this.head + this.tail;
        }
        return `${this.head}\n[… ${this.dropped} characters of output dropped …]\n${this.tail}`;
    }

    private add(text: string): void {
        if (!text) {
            return;
        }
        this.onText?.(text);
        const half = Math.floor(this.cap / 2);
        if (this.head.length < half) {
            const take = text.slice(0, half - this.head.length);
            this.head += take;
            text = text.slice(take.length);
        }
        this.tail += text;
        if (this.tail.length > half) {
            this.dropped += this.tail.length - half;
            this.tail = this.tail.slice(this.tail.length - half);
        }
    }
}
