import * as fs from 'fs';
import * as path from 'path';
import { Tool, ToolError } from '../tool';
import { formatSize } from './file-kind';
import { lstatOrNull, resolveEntry } from './write-user-file';

interface DeleteInput { paths: string[] }

export const deleteTool: Tool<DeleteInput> = {
    name: 'Delete',
    description: 'Deletes files or folders. Always asks the user first, listing what would go; on "Deny" nothing is deleted. ' +
        'Deleted items are kept in the task\'s journal and can be restored with undo.',
    inputSchema: {
        type: 'object',
        properties: { paths: { type: 'array', minItems: 1, items: { type: 'string' } } },
        required: ['paths'],
        additionalProperties: false
    },
    async run(input, ctx) {
        const targets = input.paths.map(p => {
            const { real, grant } = resolveEntry(ctx, p);
            if (real === grant.path) {
                throw new ToolError(`${real} is a granted folder itself; it cannot be deleted (nothing was deleted)`);
            }
            const st = lstatOrNull(real);
            if (!st) {
                throw new ToolError(`Cannot delete ${p}: it does not exist (nothing was deleted)`);
            }
            return { real, size: st.isDirectory() ? folderSize(real) : st.size };
        });
        const unique = [...new Map(targets.map(t => [t.real, t])).values()];
        const allowed = await ctx.gate.request({
            tool: 'Delete', action: 'delete', paths: unique.map(t => t.real), sizes: unique.map(t => t.size), agentId: ctx.agentId
        }, ctx.signal);
        if (!allowed) {
            throw new ToolError(`Deleting ${unique.length} item(s) was not allowed; nothing was deleted`);
        }
        const step = ctx.journal.beginStep({ tool: 'Delete', toolUseId: ctx.toolUseId, agentId: ctx.agentId });
        for (const t of unique) {
            // A parent deleted earlier in this batch took its children with it.
            if (!lstatOrNull(t.real)) {
                continue;
            }
            await ctx.journal.delete(step, t.real, { tool: 'Delete', agentId: ctx.agentId });
            ctx.emit({ type: 'file.changed', path: t.real, change: 'deleted', step });
        }
        const total = unique.reduce((s, t) => s + t.size, 0);
        return { content: `Deleted ${unique.length} item(s), ${formatSize(total)} (kept in the journal; undo restores them)` };
    }
};

function folderSize(dir: string): number {
    let total = 0;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, entry.name);
        if (entry.isDirectory()) {
            total += folderSize(p);
        } else {
            total += lstatOrNull(p)?.size ?? 0;
        }
    }
    return total;
}
