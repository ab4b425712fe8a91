import * as fs from 'fs';
import * as path from 'path';
import { randomBytes } from 'crypto';
import type { AgentEvent, TaskStatus } from '../events';
import type { GrantMode } from '../grants';
import { ChangeJournal } from './change-journal';
import { EventLog } from './event-log';
import { writeFileAtomic } from '../util/atomic-write';

export type SessionStatus = 'running' | TaskStatus;

export interface SessionMeta {
    id: string;
    prompt: string;
    grants: { path: string; mode: GrantMode }[];
    model: string;
    createdAt: string;
    updatedAt: string;
    status: SessionStatus;
    reason?: string;
    /** The process running the task, to tell a crashed task from a running one. */
    pid?: number;
    hostStart?: string;
}

/** One task's folder: meta.json, events.jsonl, journal/. */
export class Session {
    readonly log: EventLog;
    readonly journal: ChangeJournal;

    constructor(readonly dir: string, public meta: SessionMeta) {
        this.log = new EventLog(path.join(dir, 'events.jsonl'));
        this.journal = new ChangeJournal(path.join(dir, 'journal'));
    }

    get id(): string {
        return this.meta.id;
    }

    update(patch: Partial<SessionMeta>): void {
        this.meta = { ...this.meta, ...patch, updatedAt: new Date().toISOString() };
        writeMeta(this.dir, this.meta);
    }

    events(): AgentEvent[] {
        return EventLog.read(this.log.file);
    }

    close(): void {
        this.log.close();
    }
}

/**
 * Sessions live in `<dataDir>/sessions/<id>/`, folders 0700 and files 0600: they hold the user's
 * content. Nothing here ever holds the API key.
 */
export class SessionStore {
    readonly root: string;

    constructor(readonly dataDir: string) {
        this.root = path.join(dataDir, 'sessions');
        fs.mkdirSync(this.root, { recursive: true, mode: 0o700 });
        fs.chmodSync(dataDir, 0o700);
    }

    create(init: { prompt: string; grants: { path: string; mode: GrantMode }[]; model: string }): Session {
        const now = new Date();
        const id = `${now.toISOString().slice(0, 10)}-${randomBytes(4).toString('hex')}`;
        const dir = path.join(this.root, id);
        fs.mkdirSync(dir, { mode: 0o700 });
        const meta: SessionMeta = {
            id, prompt: init.prompt, grants: init.grants, model: init.model,
            createdAt: now.toISOString(), updatedAt: now.toISOString(), status: 'running', pid: process.pid
        };
        writeMeta(dir, meta);
        return new Session(dir, meta);
    }

    /** Opens a session by id or unique id prefix. */
    open(idOrPrefix: string): Session {
        const id = this.resolveId(idOrPrefix);
        const dir = path.join(this.root, id);
        return new Session(dir, this.readMeta(id));
    }

    resolveId(idOrPrefix: string): string {
        if (!/^[\w.-]+$/.test(idOrPrefix)) {
            throw new Error(`"${idOrPrefix}" is not a session id`);
        }
        const ids = this.ids();
        if (ids.includes(idOrPrefix)) {
            return idOrPrefix;
        }
        const matches = ids.filter(i => i.startsWith(idOrPrefix) || i.endsWith(idOrPrefix));
        if (matches.length === 1) {
            return matches[0];
        }
        if (matches.length === 0) {
            throw new Error(`No session "${idOrPrefix}" in ${this.root} (see \`cowork sessions\`)`);
        }
        throw new Error(`"${idOrPrefix}" matches several sessions: ${matches.join(', ')}`);
    }

    /** Every session, newest first; a "running" one whose process is gone is reported as interrupted. */
    list(): SessionMeta[] {
        const out: SessionMeta[] = [];
        for (const id of this.ids()) {
            try {
                out.push(this.readMeta(id));
            } catch {
                // A folder without readable meta is not a session (or a half-created one): skip it.
            }
        }
        return out.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    }

    readMeta(id: string): SessionMeta {
        const meta = JSON.parse(fs.readFileSync(path.join(this.root, id, 'meta.json'), 'utf8')) as SessionMeta;
        if (meta.status === 'running' && !(meta.pid && isAlive(meta.pid))) {
            meta.status = 'interrupted';
            meta.reason = 'the process running it stopped before the task finished';
        }
        return meta;
    }

    delete(id: string): void {
        fs.rmSync(path.join(this.root, this.resolveId(id)), { recursive: true, force: true });
    }

    private ids(): string[] {
        try {
            return fs.readdirSync(this.root).filter(n => fs.existsSync(path.join(this.root, n, 'meta.json')));
        } catch {
            return [];
        }
    }
}

function writeMeta(dir: string, meta: SessionMeta): void {
    writeFileAtomic(path.join(dir, 'meta.json'), JSON.stringify(meta, null, 2) + '\n', 0o600);
}

function isAlive(pid: number): boolean {
    if (pid === process.pid) {
        return true;
    }
    try {
        process.kill(pid, 0);
        return true;
    } catch (e) {
        return (e as NodeJS.ErrnoException).code === 'EPERM';
    }
}
