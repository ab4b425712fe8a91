import * as fs from 'fs';
import * as path from 'path';

export interface SteeringMessage {
    text: string;
    /** Stop instead of steering. */
    stop?: boolean;
    /** Address one sub-agent instead of the main agent. */
    agentId?: string;
}

/**
 * Lets another process (`cowork steer ID "..."`, a second window) send a running task a message:
 * lines appended to `<session>/steer.jsonl`, read from a remembered offset at each turn boundary.
 */
export class SteeringInbox {
    private offset = 0;
    readonly file: string;

    constructor(sessionDir: string) {
        this.file = path.join(sessionDir, 'steer.jsonl');
        try {
            this.offset = fs.statSync(this.file).size;
        } catch {
            this.offset = 0;
        }
    }

    static send(sessionDir: string, message: SteeringMessage): void {
        fs.appendFileSync(path.join(sessionDir, 'steer.jsonl'), JSON.stringify({ ...message, time: new Date().toISOString() }) + '\n', { mode: 0o600 });
    }

    /** New messages since the last call. */
    take(): SteeringMessage[] {
        let size: number;
        try {
            size = fs.statSync(this.file).size;
        } catch {
            return [];
        }
        if (size <= this.offset) {
            return [];
        }
        const fd = fs.openSync(this.file, 'r');
        try {
            const buf = Buffer.alloc(size - this.offset);
            fs.readSync(fd, buf, 0, buf.length, this.offset);
            const text = buf.toString('utf8');
            const complete = text.lastIndexOf('\n') + 1;
            this.offset += Buffer.byteLength(text.slice(0, complete));
            return text.slice(0, complete).split('\n').filter(Boolean).flatMap(line => {
                try {
                    return [JSON.parse(line)];
                } catch {
                    return [];
                }
            });
        } finally {
            fs.closeSync(fd);
        }
    }
}
