import * as fs from 'fs';
import type { AgentEvent } from '../events';
import { endTornLine, readJsonl } from './change-journal';

/**
 * The append-only session log: one JSON event per line. Each event is written to the file as it
 * happens (the OS has it even if this process dies); `sync()` at turn boundaries puts it on disk.
 */
export class EventLog {
    private fd: number | undefined;

    constructor(readonly file: string) {
        this.fd = fs.openSync(file, 'a', 0o600);
        endTornLine(file, this.fd);
    }

    append(event: AgentEvent): void {
        if (this.fd === undefined) {
            throw new Error(`Session log ${this.file} is closed`);
        }
        fs.writeSync(this.fd, JSON.stringify(event) + '\n');
    }

    sync(): void {
        if (this.fd !== undefined) {
            fs.fsyncSync(this.fd);
        }
    }

    close(): void {
        if (this.fd !== undefined) {
            this.sync();
            fs.closeSync(this.fd);
            this.fd = undefined;
        }
    }

    /** Every complete event in a log; a torn last line (crash mid-write) is skipped. */
    static read(file: string): AgentEvent[] {
        return readJsonl<AgentEvent>(file);
    }
}

