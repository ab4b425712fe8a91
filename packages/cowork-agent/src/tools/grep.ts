import fg from 'fast-glob';
import * as fs from 'fs';

import { Tool, ToolError } from '../tool';
import { detectFileKind } from './file-kind';

const MAX_FILE_BYTES = 20 * 1024 * 1024;
const DEFAULT_HEAD = 250;

interface GrepInput {
    pattern: string;
    path?: string;
    glob?: string;
    output_mode?: 'content' | 'files_with_matches' | 'count';
    '-i'?: boolean;
    '-n'?: boolean;
    '-A'?: number;
    '-B'?: number;
    '-C'?: number;
    head_limit?: number;
}

export const grepTool: Tool<GrepInput> = {
    name: 'Grep',
    description: 'Searches file contents with a regular expression (JavaScript syntax) under a folder or in one file. ' +
        'output_mode: "files_with_matches" (default: paths), "content" (matching lines, with -n line numbers and -A/-B/-C ' +
        'context), or "count". Filter files with glob (e.g. "*.md"). -i for case-insensitive. Binary files are skipped.',
    inputSchema: {
        type: 'object',
        properties: {
            pattern: { type: 'string' },
            path: { type: 'string', description: 'File or folder to search (absolute); default the first granted folder' },
            glob: { type: 'string', description: 'Only files matching this glob' },
            output_mode: { type: 'string', enum: ['content', 'files_with_matches', 'count'] },
            '-i': { type: 'boolean' },
            '-n': { type: 'boolean' },
            '-A': { type: 'integer', minimum: 0 },
            '-B': { type: 'integer', minimum: 0 },
            '-C': { type: 'integer', minimum: 0 },
            head_limit: { type: 'integer', minimum: 1, description: 'At most this many output lines/entries' }
        },
        required: ['pattern'],
        additionalProperties: false
    },
    readOnly: true,
    async run(input, ctx) {
        let re: RegExp;
        try {
            re = new RegExp(input.pattern, input['-i'] ? 'i' : '');
        } catch (e) {
            throw new ToolError(`Invalid regular expression ${JSON.stringify(input.pattern)}: ${(e as Error).message}`);
        }
        const { real: base } = ctx.grants.resolve(input.path ?? ctx.cwd, 'read');
        const files = fs.statSync(base).isDirectory()
            ? await fg(input.glob ? (input.glob.includes('/') ? input.glob : `**/${input.glob}`) : '**/*', {
                cwd: base, absolute: true, onlyFiles: true, dot: true, followSymbolicLinks: false,
                ignore: ['**/node_modules/**', '**/.git/**'], suppressErrors: true
            })
            : [base];
        files.sort();
        const mode = input.output_mode ?? 'files_with_matches';
        const head = input.head_limit ?? DEFAULT_HEAD;
        const out: string[] = [];
        let truncated = false;
        for (const file of files) {
            if (out.length >= head) {
                truncated = true;
                break;
            }
            const text = readTextInside(file, ctx);
            if (text === undefined) {
                continue;
            }
            const lines = text.split('\n');
            if (lines[lines.length - 1] === '') {
                // A final newline ends the last line; it does not start another one.
                lines.pop();
            }
            const hits = lines.map((l, i) => (re.test(l) ? i : -1)).filter(i => i >= 0);
            if (hits.length === 0) {
                continue;
            }
            if (mode === 'files_with_matches') {
                out.push(file);
            } else if (mode === 'count') {
                out.push(`${file}:${hits.length}`);
            } else {
                out.push(...contentLines(file, lines, hits, input));
            }
        }
        if (out.length === 0) {
            return { content: `No matches for ${input.pattern} under ${base}` };
        }
        const shown = out.slice(0, head);
        if (truncated || out.length > head) {
            shown.push(`... more results cut at head_limit=${head}`);
        }
        return { content: shown.join('\n') };
    }
};

function contentLines(file: string, lines: string[], hits: number[], input: GrepInput): string[] {
    const before = input['-B'] ?? input['-C'] ?? 0;
    const after = input['-A'] ?? input['-C'] ?? 0;
    const keep = new Set<number>();
    for (const h of hits) {
        for (let i = Math.max(0, h - before); i <= Math.min(lines.length - 1, h + after); i++) {
            keep.add(i);
        }
    }
    const numbered = input['-n'] ?? true;
    return [...keep].sort((a, b) => a - b).map(i => `${file}:${numbered ? `${i + 1}:` : ''}${lines[i].slice(0, 500)}`);
}

function readTextInside(file: string, ctx: Parameters<Tool['run']>[1]): string | undefined {
    try {
        const real = fs.realpathSync(file);
        if (!ctx.grants.grantOf(real)) {
            return undefined;
        }
        const st = fs.statSync(real);
        // Reading a named pipe would wait for a writer forever.
        if (!st.isFile() || st.size > MAX_FILE_BYTES) {
            return undefined;
        }
        const data = fs.readFileSync(real);
        if (detectFileKind(data.subarray(0, 8192)).binary) {
            return undefined;
        }
        return data.toString('utf8');
    } catch {
        return undefined;
    }
}

