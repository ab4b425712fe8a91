import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { officeLib } from './office-lib';
import type { ToolContext, ToolResult } from '../../tool';
import { ToolError } from '../../tool';

/**
 * Reads a file the model named, through the grants: the parent folder is pinned and the file
 * opened without following links, so what is read is what was checked.
 */
export async function readGrantedFile(ctx: ToolContext, p: string): Promise<{ real: string; bytes: Buffer }> {
    const pinned = await ctx.grants.pin(p, 'read');
    try {
        let fd: number;
        try {
            fd = fs.openSync(pinned.viaFd, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
        } catch (e) {
            const code = (e as NodeJS.ErrnoException).code;
            throw new ToolError(code === 'ENOENT' ? `File does not exist: ${pinned.real}` : code === 'ELOOP' ? `${pinned.real} is a link; refused` : `Cannot read ${pinned.real}: ${code}`);
        }
        try {
            ctx.grants.assertFdInside(fd, pinned.real);
            if (fs.fstatSync(fd).isDirectory()) {
                throw new ToolError(`${pinned.real} is a folder, not a file`);
            }
            return { real: pinned.real, bytes: fs.readFileSync(fd) };
        } finally {
            fs.closeSync(fd);
        }
    } finally {
        pinned.release();
    }
}

/**
 * Copies granted files into a private temporary folder under their own names, for the programs
 * (pdftotext, tesseract, LibreOffice) that take paths: they then read the checked bytes only.
 */
export async function stageGrantedFiles<T>(ctx: ToolContext, paths: string[], use: (staged: { real: string; copy: string }[]) => Promise<T>): Promise<T> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cowork-office-in-'));
    try {
        const staged: { real: string; copy: string }[] = [];
        for (const [i, p] of paths.entries()) {
            const { real, bytes } = await readGrantedFile(ctx, p);
            const sub = path.join(dir, String(i));
            fs.mkdirSync(sub);
            const copy = path.join(sub, path.basename(real));
            fs.writeFileSync(copy, bytes);
            staged.push({ real, copy });
        }
        return await use(staged);
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

/** The extension a file path must have for a tool, or a clear error. */
export function requireExtension(p: unknown, exts: string[], what: string): string {
    if (typeof p !== 'string' || !p) {
        throw new ToolError('file_path is required');
    }
    const ext = path.extname(p).toLowerCase();
    if (!exts.includes(ext)) {
        throw new ToolError(`${what} must be saved as ${exts.join(' or ')}; "${path.basename(p)}" has ${ext ? `"${ext}"` : 'no extension'}`);
    }
    return p;
}

/** Runs a tool body, turning the office library's errors into error results the model can act on. */
export async function officeResult(body: () => Promise<ToolResult>): Promise<ToolResult> {
    try {
        return await body();
    } catch (e) {
        if (e instanceof officeLib().OfficeError || e instanceof ToolError) {
            return { content: e.message, isError: true };
        }
        throw e;
    }
}
