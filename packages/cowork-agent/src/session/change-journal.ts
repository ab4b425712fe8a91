import { createHash, randomUUID } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { writeFileAtomic } from '../util/atomic-write';
import { ToolError } from '../tool';

export type JournalOp = 'create' | 'modify' | 'delete' | 'move';

export interface JournalEntry {
    id: string;
    step: number;
    op: JournalOp;
    /** The path changed (for a move: the destination). */
    path: string;
    /** For a move: where it came from. */
    from?: string;
    /** Content hash before the change (modify; a move or create over an existing file). */
    before?: string;
    /** Content hash after the change, for conflict detection on undo. */
    after?: string;
    /** For a delete: where the journal keeps the deleted file or folder. */
    kept?: string;
    mode?: number;
    kind?: 'file' | 'dir';
    tool?: string;
    agentId?: string;
    time: string;
}

export interface StepInfo {
    step: number;
    tool: string;
    toolUseId: string;
    agentId?: string;
    time: string;
}

export interface UndoReport {
    restored: string[];
    conflicts: { path: string; reason: string }[];
    steps: number[];
}

/**
 * Records, before any change to a user's file, what is needed to undo it exactly: old bytes,
 * old names, deleted files themselves. Deleting moves the file into the journal; nothing is
 * destroyed. Undo restores the same bytes and names and reports (never overwrites) a file that
 * changed since.
 */
export class ChangeJournal {
    private readonly entriesFile: string;
    private readonly stepsFile: string;
    private readonly undoneFile: string;
    private readonly blobs: string;
    private readonly kept: string;
    private nextStep: number;
    /** Which sub-agent last changed each path in this process, to catch two workstreams writing one file. */
    private readonly writers = new Map<string, string>();

    constructor(readonly dir: string) {
        this.entriesFile = path.join(dir, 'entries.jsonl');
        this.stepsFile = path.join(dir, 'steps.jsonl');
        this.undoneFile = path.join(dir, 'undone.jsonl');
        this.blobs = path.join(dir, 'blobs');
        this.kept = path.join(dir, 'kept');
        for (const d of [dir, this.blobs, this.kept]) {
            fs.mkdirSync(d, { recursive: true, mode: 0o700 });
        }
        const steps = readJsonl<StepInfo>(this.stepsFile);
        this.nextStep = steps.reduce((max, s) => Math.max(max, s.step), 0) + 1;
    }

    /** A step groups the changes of one tool call; `cowork undo --step N` reverts one. */
    beginStep(info: { tool: string; toolUseId: string; agentId?: string }): number {
        const step = this.nextStep++;
        appendJsonl(this.stepsFile, { step, ...info, time: new Date().toISOString() });
        return step;
    }

    steps(): StepInfo[] {
        return readJsonl<StepInfo>(this.stepsFile);
    }

    /** True when this session created the file and nothing else has replaced it since: rewriting it destroys nothing of the user's. */
    createdInThisSession(real: string): boolean {
        let created = false;
        let lastAfter: string | undefined;
        for (const e of this.entries()) {
            if (e.path === real) {
                created = e.op === 'create' || (created && e.op === 'modify');
                lastAfter = e.after;
            } else if (e.op === 'move' && e.from === real) {
                created = false;
            }
        }
        try {
            return created && lastAfter !== undefined && hashOfFile(real) === lastAfter;
        } catch {
            return false;
        }
    }

    entries(): JournalEntry[] {
        return readJsonl<JournalEntry>(this.entriesFile);
    }

    /**
     * Two sub-agents changing the same file is a conflict: the second is refused with a message
     * naming both, so neither silently overwrites the other. The parent agent may always write.
     */
    claim(real: string, agentId: string | undefined): void {
        if (!agentId) {
            return;
        }
        const prev = this.writers.get(real);
        if (prev && prev !== agentId) {
            throw new WriteConflictError(real, prev, agentId);
        }
        this.writers.set(real, agentId);
    }

    /** Write (create or replace) a file's content, journalled. */
    async write(step: number, real: string, data: string | Uint8Array, meta: { tool?: string; agentId?: string; writeVia?: string } = {}): Promise<'created' | 'modified'> {
        this.claim(real, meta.agentId);
        const existing = statOrNull(real);
        if (existing?.isDirectory()) {
            throw new Error(`${real} is a folder`);
        }
        const entry: JournalEntry = {
            id: randomUUID(), step, op: existing ? 'modify' : 'create', path: real,
            before: existing ? this.keepBlob(real) : undefined,
            mode: existing ? existing.mode & 0o7777 : undefined,
            kind: 'file', tool: meta.tool, agentId: meta.agentId, time: new Date().toISOString()
        };
        entry.after = hashOf(data);
        this.append(entry);
        writeFileAtomic(meta.writeVia ?? real, data, existing ? existing.mode & 0o7777 : 0o644);
        return existing ? 'modified' : 'created';
    }

    /** Record a change already staged elsewhere (e.g. a shell command's output) as a create/modify. */
    recordApplied(step: number, real: string, before: string | undefined, afterHash: string, meta: { tool?: string; agentId?: string; mode?: number } = {}): void {
        this.claim(real, meta.agentId);
        this.append({
            id: randomUUID(), step, op: before ? 'modify' : 'create', path: real, before, after: afterHash,
            mode: meta.mode, kind: 'file', tool: meta.tool, agentId: meta.agentId, time: new Date().toISOString()
        });
    }

    /** Snapshot a file's current bytes into the journal; returns their hash. */
    keepBlob(real: string): string {
        const data = fs.readFileSync(real);
        const hash = hashOf(data);
        const blob = path.join(this.blobs, hash);
        if (!fs.existsSync(blob)) {
            writeFileAtomic(blob, data, 0o600);
        }
        return hash;
    }

    /** Delete a file or folder by moving it into the journal. */
    async delete(step: number, real: string, meta: { tool?: string; agentId?: string } = {}): Promise<void> {
        this.claim(real, meta.agentId);
        const st = fs.lstatSync(real);
        const id = randomUUID();
        const kept = path.join(this.kept, id);
        this.append({
            id, step, op: 'delete', path: real, kept, mode: st.mode & 0o7777,
            kind: st.isDirectory() ? 'dir' : 'file', tool: meta.tool, agentId: meta.agentId, time: new Date().toISOString()
        });
        moveAcrossDevices(real, kept);
    }

    /** Move/rename; if the destination exists it is kept in the journal first. */
    async move(step: number, from: string, to: string, meta: { tool?: string; agentId?: string } = {}): Promise<void> {
        this.claim(from, meta.agentId);
        this.claim(to, meta.agentId);
        const over = statOrNull(to);
        let before: string | undefined;
        if (over) {
            if (over.isDirectory()) {
                throw new Error(`${to} is an existing folder`);
            }
            before = this.keepBlob(to);
        }
        this.append({
            id: randomUUID(), step, op: 'move', path: to, from, before, mode: over ? over.mode & 0o7777 : undefined,
            kind: fs.lstatSync(from).isDirectory() ? 'dir' : 'file', tool: meta.tool, agentId: meta.agentId, time: new Date().toISOString()
        });
        fs.mkdirSync(path.dirname(to), { recursive: true });
        moveAcrossDevices(from, to);
    }

    /** Undo one step, or every step not yet undone (newest first). */
    async undo(step?: number): Promise<UndoReport> {
        const undone = new Set(readJsonl<{ id: string }>(this.undoneFile).map(u => u.id));
        const todo = this.entries()
            .filter(e => !undone.has(e.id) && (step === undefined || e.step === step))
            .reverse();
        const report: UndoReport = { restored: [], conflicts: [], steps: [] };
        for (const e of todo) {
            const conflict = this.undoEntry(e);
            if (conflict) {
                report.conflicts.push({ path: e.path, reason: conflict });
            } else {
                appendJsonl(this.undoneFile, { id: e.id, time: new Date().toISOString() });
                report.restored.push(e.op === 'move' ? e.from! : e.path);
                if (!report.steps.includes(e.step)) {
                    report.steps.push(e.step);
                }
            }
        }
        return report;
    }

    /** Returns a conflict description, or undefined when the entry was reverted. */
    private undoEntry(e: JournalEntry): string | undefined {
        const cur = statOrNull(e.path);
        switch (e.op) {
            case 'create': {
                if (!cur) {
                    return undefined;
                }
                if (e.after && hashOfFile(e.path) !== e.after) {
                    return 'changed since the task created it; left as it is';
                }
                // Undoing a creation keeps the bytes in the journal rather than destroying them.
                moveAcrossDevices(e.path, path.join(this.kept, `${e.id}.undone`));
                return undefined;
            }
            case 'modify': {
                if (!cur) {
                    return 'deleted since the task changed it; not recreated';
                }
                if (e.after && hashOfFile(e.path) !== e.after) {
                    return 'changed since the task wrote it; left as it is';
                }
                writeFileAtomic(e.path, fs.readFileSync(path.join(this.blobs, e.before!)), e.mode ?? 0o644);
                return undefined;
            }
            case 'delete': {
                if (cur) {
                    return 'a new file now has this name; the deleted one stays in the journal';
                }
                fs.mkdirSync(path.dirname(e.path), { recursive: true });
                moveAcrossDevices(e.kept!, e.path);
                return undefined;
            }
            case 'move': {
                if (statOrNull(e.from!)) {
                    return `${e.from} exists again; the move was not reverted`;
                }
                if (!cur) {
                    return 'the moved file is gone; nothing to move back';
                }
                fs.mkdirSync(path.dirname(e.from!), { recursive: true });
                moveAcrossDevices(e.path, e.from!);
                if (e.before) {
                    writeFileAtomic(e.path, fs.readFileSync(path.join(this.blobs, e.before)), e.mode ?? 0o644);
                }
                return undefined;
            }
        }
    }

    private append(entry: JournalEntry): void {
        appendJsonl(this.entriesFile, entry);
    }
}

export class WriteConflictError extends ToolError {
    constructor(readonly path: string, readonly firstWriter: string, readonly secondWriter: string) {
        super(`Conflict: ${path} was already changed in this task by sub-agent ${firstWriter}; ${secondWriter} may not change it too. ` +
            'Leave this file to one workstream and report the clash to the parent agent.');
        this.name = 'WriteConflictError';
    }
}

export function hashOf(data: string | Uint8Array): string {
    return createHash('sha256').update(data).digest('hex');
}

export function hashOfFile(p: string): string {
    return hashOf(fs.readFileSync(p));
}

function statOrNull(p: string): fs.Stats | null {
    try {
        return fs.lstatSync(p);
    } catch {
        return null;
    }
}

/** rename, falling back to copy + remove across file systems. */
export function moveAcrossDevices(from: string, to: string): void {
    try {
        fs.renameSync(from, to);
    } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EXDEV') {
            throw e;
        }
        fs.cpSync(from, to, { recursive: true, preserveTimestamps: true, verbatimSymlinks: true });
        fs.rmSync(from, { recursive: true, force: true });
    }
}

/** Appends one JSON line and syncs it: the journal must be on disk before the change happens. */
function appendJsonl(file: string, value: unknown): void {
    const fd = fs.openSync(file, 'a', 0o600);
    try {
        endTornLine(file, fd);
        fs.writeSync(fd, JSON.stringify(value) + '\n');
        fs.fsyncSync(fd);
    } finally {
        fs.closeSync(fd);
    }
}

/**
 * After a crash mid-write a JSON-lines file may end in a torn line without its newline; the next
 * line appended through `fd` must start on a line of its own, or it would be lost with the torn one.
 */
export function endTornLine(file: string, fd: number): void {
    const size = fs.fstatSync(fd).size;
    if (size === 0) {
        return;
    }
    const last = Buffer.alloc(1);
    const rfd = fs.openSync(file, 'r');
    try {
        fs.readSync(rfd, last, 0, 1, size - 1);
    } finally {
        fs.closeSync(rfd);
    }
    if (last[0] !== 0x0a) {
        fs.writeSync(fd, '\n');
    }
}

export function readJsonl<T>(file: string): T[] {
    let text: string;
    try {
        text = fs.readFileSync(file, 'utf8');
    } catch {
        return [];
    }
    const out: T[] = [];
    for (const line of text.split('\n')) {
        if (!line.trim()) {
            continue;
        }
        try {
            out.push(JSON.parse(line));
        } catch {
            // A torn last line after a crash is skipped; everything before it stands.
        }
    }
    return out;
}
