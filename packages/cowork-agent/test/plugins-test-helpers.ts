import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { GrantSet } from '../src/grants';
import { PermissionAsker, PermissionGate } from '../src/permissions/permission-gate';
import { PermissionPolicy } from '../src/permissions/permission-policy';
import { ChangeJournal } from '../src/session/change-journal';
import type { ToolContext } from '../src/tool';
import type { AgentEventBody } from '../src/events';

/** test/fixtures/plugins in the source tree (tests run from lib/test). */
export const FIXTURES = path.resolve(__dirname, '../../test/fixtures/plugins');
export const BUNDLED = path.resolve(__dirname, '../../../../plugins');

export function tempDir(prefix = 'cowork-plugins-test-'): string {
    return fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
}

/** Copies a fixture into a temp folder so a test can add links or break it further. */
export function copyFixture(rel: string): string {
    const dest = path.join(tempDir(), path.basename(rel));
    fs.cpSync(path.join(FIXTURES, rel), dest, { recursive: true });
    return dest;
}

export interface TestContext {
    ctx: ToolContext;
    events: AgentEventBody[];
    asked: string[];
}

/** A real ToolContext over a temp grant, with an asker that records and answers `allow`. */
export function makeContext(grantDir: string, allow: boolean | ((tool: string) => boolean) = true): TestContext {
    const events: AgentEventBody[] = [];
    const asked: string[] = [];
    const asker: PermissionAsker = async req => {
        asked.push(req.tool);
        return { allowed: typeof allow === 'function' ? allow(req.tool) : allow, by: 'user' };
    };
    const grants = GrantSet.create([{ path: grantDir, mode: 'rw' }]);
    const gate = new PermissionGate(new PermissionPolicy(), asker, e => events.push(e));
    const ctx: ToolContext = {
        sessionId: 'test-session',
        toolUseId: 'toolu_test',
        grants,
        gate,
        journal: new ChangeJournal(path.join(tempDir('cowork-journal-'), 'journal')),
        signal: new AbortController().signal,
        cwd: grants.cwd,
        emit: e => events.push(e)
    };
    return { ctx, events, asked };
}

export function toolText(content: unknown): string {
    if (typeof content === 'string') {
        return content;
    }
    return (content as { type: string; text?: string }[]).map(b => b.text ?? `[${b.type}]`).join('\n');
}
