import * as fs from 'fs';
import * as path from 'path';
import type { Change, ChangeSet } from '@cowork/vm';
import type { ToolContext } from '../../tool';

export interface ShellChangesReport {
    created: string[];
    modified: string[];
    deleted: string[];
    /** Changes left undone, with why (denied, a link, a path that moved outside the grants …). */
    notApplied: { path: string; what: string; reason: string }[];
    step?: number;
}

const TOOL = 'Bash';

/**
 * Carries a shell command's staged changes into the user's folders through the change journal,
 * so each is undoable like any tool write. New files go straight in; replacing or deleting an
 * existing file asks the permission gate first, and on Deny the file stays as it was.
 */
export async function applyShellChanges(changes: ChangeSet, ctx: ToolContext): Promise<ShellChangesReport> {
    const report: ShellChangesReport = { created: [], modified: [], deleted: [], notApplied: [] };
    if (changes.isEmpty) {
        return report;
    }
    try {
        const step = ctx.journal.beginStep({ tool: TOOL, toolUseId: ctx.toolUseId, agentId: ctx.agentId });
        report.step = step;
        const creations: Change[] = [];
        const overwrites: Change[] = [];
        const deletions: Change[] = [];
        for (const c of changes.changes) {
            const problem = whyNotCarried(c, ctx);
            if (problem) {
                report.notApplied.push({ path: c.path, what: describe(c), reason: problem });
            } else if (c.kind === 'deleted') {
                deletions.push(c);
            } else if (c.type === 'dir') {
                creations.push(c);
            } else if (c.kind === 'modified' || exists(c.path)) {
                // A file that appeared on the host meanwhile is an overwrite too.
                overwrites.push(c);
            } else {
                creations.push(c);
            }
        }

        if (overwrites.length > 0) {
            const allowed = await ctx.gate.request({
                tool: TOOL, action: 'shell-overwrite', paths: overwrites.map(c => c.path), sizes: overwrites.map(c => c.size), agentId: ctx.agentId
            }, ctx.signal);
            for (const c of overwrites) {
                if (allowed) {
                    await attempt(report, c, 'overwrite', async () => {
                        await writeThroughJournal(c, step, ctx);
                        report.modified.push(c.path);
                    });
                } else {
                    report.notApplied.push({ path: c.path, what: 'overwrite', reason: 'not allowed; the file keeps its previous content' });
                }
            }
        }

        if (deletions.length > 0) {
            const allowed = await ctx.gate.request({
                tool: TOOL, action: 'shell-delete', paths: deletions.map(c => c.path), sizes: deletions.map(c => c.size), agentId: ctx.agentId
            }, ctx.signal);
            // Deepest first, so a folder's own entry comes after anything listed inside it.
            for (const c of deletions.sort((a, b) => b.path.length - a.path.length)) {
                if (!allowed) {
                    report.notApplied.push({ path: c.path, what: 'delete', reason: 'not allowed; it is still there' });
                } else if (exists(c.path)) {
                    await attempt(report, c, 'delete', async () => {
                        await ctx.journal.delete(step, c.path, { tool: TOOL, agentId: ctx.agentId });
                        ctx.emit({ type: 'file.changed', path: c.path, change: 'deleted', step });
                        report.deleted.push(c.path);
                    });
                }
            }
        }
        // Last, so a file replaced by a folder of the same name finds its old entry gone.
        for (const c of creations.sort((a, b) => a.path.localeCompare(b.path))) {
            await attempt(report, c, 'create', async () => {
                if (c.type === 'dir') {
                    fs.mkdirSync(c.path, { recursive: true });
                    return;
                }
                await writeThroughJournal(c, step, ctx);
                report.created.push(c.path);
            });
        }

        return report;
    } finally {
        changes.discard();
    }
}

/** One change failing (a name now taken by a folder, a full disk) must not stop the others. */
async function attempt(report: ShellChangesReport, c: Change, what: string, fn: () => Promise<void>): Promise<void> {
    try {
        await fn();
    } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        report.notApplied.push({ path: c.path, what, reason: `failed (${code ?? (e as Error).message}); left as it was` });
    }
}

async function writeThroughJournal(c: Change, step: number, ctx: ToolContext): Promise<void> {
    const data = fs.readFileSync(c.staged!);
    fs.mkdirSync(path.dirname(c.path), { recursive: true });
    const how = await ctx.journal.write(step, c.path, data, { tool: TOOL, agentId: ctx.agentId });
    if (how === 'created' && c.mode !== undefined) {
        // Keep what the command set (an executable script stays executable).
        fs.chmodSync(c.path, c.mode & 0o777);
    }
    ctx.emit({ type: 'file.changed', path: c.path, change: how, step });
}

/** Links and special files stay in the sandbox; anything no longer inside a rw grant is refused. */
function whyNotCarried(c: Change, ctx: ToolContext): string | undefined {
    if (c.kind !== 'deleted' && c.type === 'symlink') {
        return `a link (to ${c.linkTarget}) made in the sandbox is not carried out of it`;
    }
    if (c.kind !== 'deleted' && c.type === 'other') {
        return 'special files (fifos, sockets, devices) are not carried out of the sandbox';
    }
    try {
        const { real } = ctx.grants.resolve(c.path, 'write');
        if (real !== c.path) {
            return `the path now resolves to ${real}; refused`;
        }
    } catch (e) {
        return e instanceof Error ? e.message : String(e);
    }
    return undefined;
}

function describe(c: Change): string {
    return c.kind === 'deleted' ? 'delete' : c.kind === 'modified' ? 'overwrite' : 'create';
}

function exists(p: string): boolean {
    try {
        fs.lstatSync(p);
        return true;
    } catch {
        return false;
    }
}
