import { officeLib } from './office-lib';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Tool, ToolResultBlock } from '../../tool';
import { officeResult, requireExtension, stageGrantedFiles } from './office-files';

interface CheckInput {
    file_paths: string[];
    values?: string[];
    pictures?: number;
}

export const checkOfficeTool: Tool<CheckInput> = {
    name: 'CheckOffice',
    description: 'Checks .xlsx, .docx and .pptx files with an independent engine before you call them done. Workbooks: LibreOffice recalculates every '
        + 'formula and every error cell is listed by location (e.g. "Summary!B7 #REF! (formula =SUM(Data!X:X))") with the formula count; ask for '
        + 'the recalculated values of key cells with "values" (e.g. ["Summary!B9"]) to confirm totals. All files: rendered to PDF, with the page or '
        + 'slide count, text that runs off the page, and text drawn over other text (overflow); schema validation of the OOXML package. The first '
        + 'pages come back as pictures ("pictures", default 2, 0 for none) so you can see the layout. Fix every problem it reports and check again. '
        + 'Several files in one call are faster than one at a time.',
    inputSchema: {
        type: 'object',
        properties: {
            file_paths: { type: 'array', minItems: 1, maxItems: 20, items: { type: 'string' }, description: 'Absolute paths of .xlsx, .docx or .pptx files' },
            values: { type: 'array', items: { type: 'string' }, description: 'Workbook cells whose recalculated values to report, e.g. "Summary!B9"' },
            pictures: { type: 'integer', minimum: 0, maximum: 8, description: 'Rendered pages to return as pictures, per file (default 2)' }
        },
        required: ['file_paths'],
        additionalProperties: false
    },
    readOnly: true,
    run: (input, ctx) => officeResult(async () => {
        input.file_paths.forEach(p => requireExtension(p, ['.xlsx', '.xlsm', '.docx', '.pptx'], 'A checked file'));
        const out = fs.mkdtempSync(path.join(os.tmpdir(), 'cowork-checked-'));
        try {
            return await stageGrantedFiles(ctx, input.file_paths, async staged => {
                const pictures = input.pictures ?? 2;
                const reports = await officeLib().checkOfficeFiles(staged.map(s => s.copy), { outDir: out, values: input.values, pngPages: pictures, dpi: 50, signal: ctx.signal });
                const blocks: ToolResultBlock[] = [];
                const texts: string[] = [];
                reports.forEach((r, i) => {
                    texts.push(officeLib().formatCheckReport({ ...r, file: staged[i].real }).replace(/\n {2}pictures: [^\n]*/, ''));
                });
                const summary = texts.join('\n\n') + (reports.every(r => r.ok) ? '\nAll checks passed.' : '\nFix the problems above, then check again.');
                blocks.push({ type: 'text', text: summary });
                for (const [i, r] of reports.entries()) {
                    for (const [j, png] of (r.render?.pngs ?? []).slice(0, pictures).entries()) {
                        blocks.push({ type: 'text', text: `${path.basename(staged[i].real)}, ${r.kind === 'pptx' ? 'slide' : 'page'} ${j + 1}:` });
                        blocks.push({ type: 'image', source: { type: 'base64', media_type: 'image/png', data: fs.readFileSync(png).toString('base64') } });
                    }
                }
                return { content: blocks, fullText: summary };
            });
        } finally {
            fs.rmSync(out, { recursive: true, force: true });
        }
    })
};
