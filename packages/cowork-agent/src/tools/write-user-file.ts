import * as fs from 'fs';
import * as path from 'path';
import type { ToolContext } from '../tool';
import { ToolError } from '../tool';
import type { Grant } from '../grants';
import { formatSize } from './file-kind';

/**
 * The one way a tool writes a user's file: inside a read-write grant, through the pinned parent
 * folder, journalled before it happens, asking before it replaces a file the task did not create.
 */
export async function writeUserFile(ctx: ToolContext, tool: string, filePath: string, data: string | Uint8Array, options: { mkdirs?: boolean; askOverwrite?: boolean } = {}): Promise<{ path: string; change: 'created' | 'modified'; step: number }> {
    if (options.mkdirs !== false) {
        ensureParentFolder(ctx, filePath);
    }
    const pinned = await ctx.grants.pin(filePath, 'write');
    try {
        const existing = lstatOrNull(pinned.viaFd);
        if (existing?.isSymbolicLink()) {
            throw new ToolError(`${pinned.real} is a link; refusing to write through it`);
        }
        if (existing?.isDirectory()) {
            throw new ToolError(`${pinned.real} is a folder`);
        }
        if (existing && !existing.isFile()) {
            throw new ToolError(`${pinned.real} is not a regular file (a pipe, socket or device); not written`);
        }
        if (existing && options.askOverwrite !== false && !ctx.journal.createdInThisSession(pinned.real)) {
            const allowed = await ctx.gate.request({ tool, action: 'overwrite', paths: [pinned.real], sizes: [existing.size], agentId: ctx.agentId }, ctx.signal);
            if (!allowed) {
                throw new ToolError(`Overwriting ${pinned.real} (${formatSize(existing.size)}) was not allowed; the file is unchanged`);
            }
        }
        const step = ctx.journal.beginStep({ tool, toolUseId: ctx.toolUseId, agentId: ctx.agentId });
        const change = await ctx.journal.write(step, pinned.real, data, { tool, agentId: ctx.agentId, writeVia: pinned.viaFd });
        ctx.emit({ type: 'file.changed', path: pinned.real, change, step });
        return { path: pinned.real, change, step };
    } finally {
        pinned.release();
    }
}

/** Creates missing parent folders of a path, each one checked to lie in a read-write grant. */
export function ensureParentFolder(ctx: ToolContext, filePath: string): void {
    const { real, grant } = ctx.grants.resolve(filePath, 'write');
    const parent = path.dirname(real);
    if (parent.length >= grant.path.length && !fs.existsSync(parent)) {
        fs.mkdirSync(parent, { recursive: true });
        // Re-check: a link swapped in during creation would now resolve elsewhere.
        ctx.grants.resolve(parent, 'write');
    }
}

/**
 * A path as an entry of its folder: a link is the link itself (its folder must lie in a read-write
 * grant), never its target, so deleting or moving a link leaves what it points to alone.
 */
export function resolveEntry(ctx: ToolContext, p: string): { real: string; grant: Grant } {
    const abs = path.resolve(ctx.cwd, p);
    if (lstatOrNull(abs)?.isSymbolicLink()) {
        const parent = ctx.grants.resolve(path.dirname(abs), 'write');
        return { real: path.join(parent.real, path.basename(abs)), grant: parent.grant };
    }
    return ctx.grants.resolve(p, 'write');
}

export function lstatOrNull(p: string): fs.Stats | null {
    try {
        return fs.lstatSync(p);
    } catch {
        return null;
    }
}
