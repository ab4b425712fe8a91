import * as fs from 'fs';
import { Tool, ToolError } from '../tool';
import { detectFileKind, formatSize } from './file-kind';

const DEFAULT_LIMIT = 2000;
const MAX_LINE = 2000;
const MAX_TEXT_BYTES = 10 * 1024 * 1024;
const MAX_IMAGE_BYTES = 5 * 1024 * 1024;

interface ReadInput { file_path: string; offset?: number; limit?: number }

export const readTool: Tool<ReadInput> = {
    name: 'Read',
    description: 'Reads a file from the granted folders. Returns lines numbered like `cat -n`, starting at line 1 ' +
        '(or at `offset`), at most `limit` lines (default 2000); longer lines are cut. Images (PNG, JPEG, GIF, WebP) are ' +
        'returned as images. Other binary files are described (type, size) instead of printed. file_path must be absolute.',
    inputSchema: {
        type: 'object',
        properties: {
            file_path: { type: 'string', description: 'Absolute path of the file to read' },
            offset: { type: 'integer', minimum: 1, description: 'Line number to start from (1-based)' },
            limit: { type: 'integer', minimum: 1, description: 'Number of lines to read' }
        },
        required: ['file_path'],
        additionalProperties: false
    },
    readOnly: true,
    async run(input, ctx) {
        const pinned = await ctx.grants.pin(input.file_path, 'read');
        let fd: number;
        try {
            // O_NONBLOCK: opening a named pipe must not wait for a writer (a blocking open would hang the whole process).
            fd = fs.openSync(pinned.viaFd, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK);
        } catch (e) {
            pinned.release();
            const code = (e as NodeJS.ErrnoException).code;
            if (code === 'ENOENT') {
                throw new ToolError(`File does not exist: ${pinned.real}`);
            }
            if (code === 'ELOOP') {
                throw new ToolError(`${pinned.real} is a link that changed while it was being checked; refused`);
            }
            if (code === 'EACCES') {
                throw new ToolError(`Permission denied reading ${pinned.real}`);
            }
            throw new ToolError(`Cannot read ${pinned.real}: ${code ?? String(e)}`);
        }
        try {
            ctx.grants.assertFdInside(fd, pinned.real);
            const st = fs.fstatSync(fd);
            if (st.isDirectory()) {
                throw new ToolError(`${pinned.real} is a folder; use Glob to list it`);
            }
            if (!st.isFile()) {
                throw new ToolError(`${pinned.real} is not a regular file (a pipe, socket or device); not read`);
            }
            const head = Buffer.alloc(Math.min(8192, st.size));
            fs.readSync(fd, head, 0, head.length, 0);
            const kind = detectFileKind(head);
            if (kind.imageMediaType && st.size <= MAX_IMAGE_BYTES) {
                const data = fs.readFileSync(fd);
                return { content: [{ type: 'image', source: { type: 'base64', media_type: kind.imageMediaType, data: data.toString('base64') } }] };
            }
            if (kind.binary) {
                const hint = kind.hint ? `; ${kind.hint}` : '';
                return { content: `${pinned.real} is a ${kind.kind} (${formatSize(st.size)}), not text; not shown${hint}.`, isError: true };
            }
            if (st.size > MAX_TEXT_BYTES && input.offset === undefined && input.limit === undefined) {
                return { content: `${pinned.real} is ${formatSize(st.size)} of text, too large to read whole. Read a part with offset and limit, or search it with Grep.`, isError: true };
            }
            return { content: numberLines(fs.readFileSync(fd, 'utf8'), input.offset ?? 1, input.limit ?? DEFAULT_LIMIT, pinned.real) };
        } finally {
            fs.closeSync(fd);
            pinned.release();
        }
    }
};

function numberLines(text: string, offset: number, limit: number, file: string): string {
    if (text.length === 0) {
        return `(${file} is empty)`;
    }
    const lines = text.split('\n');
    if (lines[lines.length - 1] === '') {
        lines.pop();
    }
    if (offset > lines.length) {
        return `(${file} has ${lines.length} lines; offset ${offset} is past the end)`;
    }
    const slice = lines.slice(offset - 1, offset - 1 + limit);
    const out = slice.map((l, i) => {
        const cut = l.length > MAX_LINE ? l.slice(0, MAX_LINE) + ' [line cut]' : l;
        return `${String(offset + i).padStart(6)}\t${cut}`;
    });
    const rest = lines.length - (offset - 1 + slice.length);
    if (rest > 0) {
        out.push(`... ${rest} more lines (read on with offset=${offset + slice.length})`);
    }
    return out.join('\n');
}
