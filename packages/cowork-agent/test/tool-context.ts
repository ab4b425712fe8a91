import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { AgentEventBody } from '../src/events';
import { GrantMode, GrantSet } from '../src/grants';
import { PermissionAnswer, PermissionAsker, PermissionGate, PermissionRequest } from '../src/permissions/permission-gate';
import { PermissionPolicy, PolicyRule } from '../src/permissions/permission-policy';
import { ChangeJournal } from '../src/session/change-journal';
import type { ToolContext } from '../src/tool';

/**
 * A real tool context over temporary folders, for unit tests of tools and the core: real grants,
 * a real permission gate (the asker answers from `answer`), a real journal, events collected.
 */
export interface ToolBed {
    /** Temporary root holding everything; `folder` is granted read-write, `outside` is not granted. */
    root: string;
    folder: string;
    outside: string;
    grants: GrantSet;
    journal: ChangeJournal;
    gate: PermissionGate;
    events: AgentEventBody[];
    /** Every question the asker got. */
    asked: (PermissionRequest & { requestId: string })[];
    /** What the asker answers next (default: allow). */
    answer: PermissionAnswer;
    /** The asker itself; by default it records the question and answers `answer`. */
    ask: PermissionAsker;
    controller: AbortController;
    ctx(toolUseId?: string): ToolContext;
    /** Path inside the granted folder. */
    at(...parts: string[]): string;
    eventsOf<T extends AgentEventBody['type']>(type: T): Extract<AgentEventBody, { type: T }>[];
    cleanup(): void;
}

export function makeToolBed(options: { rules?: PolicyRule[]; extraGrants?: { name: string; mode: GrantMode }[] } = {}): ToolBed {
    const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'cowork-unit-')));
    const folder = path.join(root, 'work');
    const outside = path.join(root, 'outside');
    fs.mkdirSync(folder);
    fs.mkdirSync(outside);
    const extra = (options.extraGrants ?? []).map(g => {
        const p = path.join(root, g.name);
        fs.mkdirSync(p, { recursive: true });
        return { path: p, mode: g.mode };
    });
    const grants = GrantSet.create([{ path: folder, mode: 'rw' }, ...extra]);
    const journal = new ChangeJournal(path.join(root, 'journal'));
    const events: AgentEventBody[] = [];
    const asked: ToolBed['asked'] = [];
    const emit = (e: AgentEventBody) => events.push(e);
    let counter = 0;
    const bed: ToolBed = {
        root, folder, outside, grants, journal, events, asked,
        answer: { allowed: true, by: 'user' },
        ask: async () => bed.answer,
        controller: new AbortController(),
        gate: undefined as unknown as PermissionGate,
        ctx: (toolUseId = `toolu_test_${++counter}`) => ({
            sessionId: 'test-session', toolUseId, grants, gate: bed.gate, journal,
            signal: bed.controller.signal, cwd: grants.cwd, emit
        }),
        at: (...parts) => path.join(folder, ...parts),
        eventsOf: type => events.filter(e => e.type === type) as never,
        cleanup: () => fs.rmSync(root, { recursive: true, force: true })
    };
    bed.gate = new PermissionGate(new PermissionPolicy(options.rules ?? []), (req, signal) => {
        asked.push(req);
        return bed.ask(req, signal);
    }, emit);
    return bed;
}

/** Bytes that are not text (NULs and high bytes), deterministic. */
export function binaryBytes(n: number): Buffer {
    return Buffer.from(Array.from({ length: n }, (_, i) => (i * 37 + 11) % 256));
}
