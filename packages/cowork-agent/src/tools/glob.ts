import fg from 'fast-glob';
import * as fs from 'fs';
import type { Tool } from '../tool';

const MAX_RESULTS = 1000;

interface GlobInput { pattern: string; path?: string }

export const globTool: Tool<GlobInput> = {
    name: 'Glob',
    description: 'Finds files by glob pattern (e.g. "**/*.pdf", "receipts/*.{png,jpg}") under a folder (default: the first ' +
        'granted folder). Returns absolute paths, most recently modified first. Links leading out of the granted folders are not followed.',
    inputSchema: {
        type: 'object',
        properties: {
            pattern: { type: 'string', description: 'Glob pattern' },
            path: { type: 'string', description: 'Folder to search in (absolute); defaults to the first granted folder' }
        },
        required: ['pattern'],
        additionalProperties: false
    },
    readOnly: true,
    async run(input, ctx) {
        const { real: base } = ctx.grants.resolve(input.path ?? ctx.cwd, 'read');
        const found = await fg(input.pattern, {
            cwd: base, absolute: true, onlyFiles: true, dot: true, followSymbolicLinks: false,
            ignore: ['**/node_modules/**', '**/.git/**'], suppressErrors: true, stats: true
        });
        const inside = found.filter(e => ctx.grants.grantOf(safeRealpath(e.path)) !== undefined);
        inside.sort((a, b) => (b.stats?.mtimeMs ?? 0) - (a.stats?.mtimeMs ?? 0));
        if (inside.length === 0) {
            return { content: `No files match ${input.pattern} under ${base}` };
        }
        const shown = inside.slice(0, MAX_RESULTS).map(e => e.path);
        if (inside.length > MAX_RESULTS) {
            shown.push(`... ${inside.length - MAX_RESULTS} more (narrow the pattern)`);
        }
        return { content: shown.join('\n') };
    }
};

function safeRealpath(p: string): string {
    try {
        return fs.realpathSync(p);
    } catch {
        return '';
    }
}
