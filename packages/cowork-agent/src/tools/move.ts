
import * as path from 'path';
import { Tool, ToolError } from '../tool';
import { ensureParentFolder, lstatOrNull, resolveEntry } from './write-user-file';

interface MoveInput { moves: { from: string; to: string }[] }

export const moveTool: Tool<MoveInput> = {
    name: 'Move',
    description: 'Moves or renames files and folders in one batch (e.g. renaming hundreds of files to YYYY-MM-DD names). ' +
        'All moves are checked before any is made; missing destination folders are created. A move onto an existing file asks ' +
        'the user first. Every move can be undone.',
    inputSchema: {
        type: 'object',
        properties: {
            moves: {
                type: 'array',
                minItems: 1,
                items: {
                    type: 'object',
                    properties: { from: { type: 'string' }, to: { type: 'string' } },
                    required: ['from', 'to'],
                    additionalProperties: false
                }
            }
        },
        required: ['moves'],
        additionalProperties: false
    },
    async run(input, ctx) {
        const plan = input.moves.map(m => {
            const from = resolveEntry(ctx, m.from).real;
            let to = ctx.grants.resolve(m.to, 'write').real;
            const fromStat = lstatOrNull(from);
            if (!fromStat) {
                throw new ToolError(`Cannot move ${m.from}: it does not exist (nothing was moved)`);
            }
            const toStat = lstatOrNull(to);
            if (toStat?.isDirectory() && !fromStat.isDirectory()) {
                to = path.join(to, path.basename(from));
            }
            return { from, to, isDir: fromStat.isDirectory() };
        });
        checkBatch(plan);
        const over = plan.filter(m => m.from !== m.to && lstatOrNull(m.to));
        for (const m of over) {
            if (lstatOrNull(m.to)!.isDirectory()) {
                throw new ToolError(`Cannot move ${m.from} onto the existing folder ${m.to} (nothing was moved)`);
            }
        }
        if (over.length > 0) {
            const allowed = await ctx.gate.request({
                tool: 'Move', action: 'move-over', paths: over.map(m => m.to), sizes: over.map(m => lstatOrNull(m.to)!.size), agentId: ctx.agentId,
                reason: `${over.length} move(s) would replace existing files`
            }, ctx.signal);
            if (!allowed) {
                throw new ToolError(`Replacing ${over.length} existing file(s) was not allowed; nothing was moved: ${over.map(m => m.to).join(', ')}`);
            }
        }
        const step = ctx.journal.beginStep({ tool: 'Move', toolUseId: ctx.toolUseId, agentId: ctx.agentId });
        let done = 0;
        for (const m of plan) {
            if (m.from === m.to) {
                continue;
            }
            ensureParentFolder(ctx, m.to);
            ctx.grants.resolve(m.to, 'write');
            await ctx.journal.move(step, m.from, m.to, { tool: 'Move', agentId: ctx.agentId });
            ctx.emit({ type: 'file.changed', path: m.to, change: 'moved', from: m.from, step });
            done++;
        }
        return { content: `Moved ${done} item${done === 1 ? '' : 's'}${over.length ? ` (${over.length} replaced existing files; the old ones are kept for undo)` : ''}` };
    }
};

function checkBatch(plan: { from: string; to: string }[]): void {
    const targets = new Map<string, string>();
    const sources = new Set(plan.map(m => m.from));
    for (const m of plan) {
        const prev = targets.get(m.to);
        if (prev) {
            throw new ToolError(`Two moves target ${m.to} (from ${prev} and ${m.from}); nothing was moved`);
        }
        targets.set(m.to, m.from);
        if (sources.has(m.to) && m.to !== m.from) {
            throw new ToolError(`${m.to} is both a source and a destination in this batch; split it into two calls (nothing was moved)`);
        }
        if (m.to.startsWith(m.from + path.sep)) {
            throw new ToolError(`Cannot move ${m.from} into itself (nothing was moved)`);
        }
    }

}
