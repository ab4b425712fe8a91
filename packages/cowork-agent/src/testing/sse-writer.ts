import type { ServerResponse } from 'http';
import type { SseEvent } from './message-events';

export interface SseWriteOptions {
    /** Pause before each event after the first. */
    chunkDelayMs?: number;
    /** One long pause after this many events. */
    pauseAfterChunks?: { afterChunks: number; ms: number };
    /** Stop after this many events and destroy the socket (a connection lost mid-answer). */
    cutAfterChunks?: number;
    /** Stop after this many events, send an `error` event and end the response. */
    errorAfterChunks?: number;
    error?: { type: string; message: string };
}

function sleep(ms: number): Promise<void> {
    return new Promise(resolve => setTimeout(resolve, ms));
}

async function pauseBefore(i: number, options: SseWriteOptions): Promise<void> {
    if (i > 0 && options.chunkDelayMs) {
        await sleep(options.chunkDelayMs);
    }
    if (options.pauseAfterChunks && i === options.pauseAfterChunks.afterChunks) {
        await sleep(options.pauseAfterChunks.ms);
    }
}

/** Resolves once the chunk reached the socket, so a cut right after it still delivers it. */
function writeFlushed(res: ServerResponse, chunk: string): Promise<void> {
    return new Promise(resolve => {
        // A client that went away never flushes; do not hang on it.
        const onClose = (): void => resolve();
        res.once('close', onClose);
        res.write(chunk, () => {
            res.off('close', onClose);
            resolve();
        });
    });
}

export function formatSse(event: SseEvent): string {
    return `event: ${event.event}\ndata: ${JSON.stringify(event.data)}\n\n`;
}

/**
 * Writes a streamed answer event by event, each flushed on its own so the client sees real
 * chunking. Stops early (without throwing) when the client goes away.
 */
export async function writeSse(res: ServerResponse, events: SseEvent[], options: SseWriteOptions = {}): Promise<void> {
    res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache',
        connection: 'keep-alive'
    });
    res.flushHeaders();
    for (let i = 0; i < events.length; i++) {
        await pauseBefore(i, options);
        // The client may have gone away during the pause.
        if (res.destroyed || res.writableEnded) {
            return;
        }
        if (options.cutAfterChunks !== undefined && i >= options.cutAfterChunks) {
            res.socket?.destroy();
            return;
        }
        if (options.errorAfterChunks !== undefined && i >= options.errorAfterChunks) {
            res.end(formatSse({ event: 'error', data: { type: 'error', error: options.error ?? { type: 'api_error', message: 'Internal server error' } } }));
            return;
        }
        await writeFlushed(res, formatSse(events[i]));
    }
    if (options.cutAfterChunks !== undefined && options.cutAfterChunks >= events.length) {
        res.socket?.destroy();
        return;
    }
    if (options.errorAfterChunks !== undefined && options.errorAfterChunks >= events.length) {
        res.end(formatSse({ event: 'error', data: { type: 'error', error: options.error ?? { type: 'api_error', message: 'Internal server error' } } }));
        return;
    }
    res.end();
}
