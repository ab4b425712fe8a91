import type { DocumentSpec } from '@cowork/office';
import { officeLib } from './office-lib';
import * as path from 'path';
import type { Tool, ToolContext } from '../../tool';
import { writeUserFile } from '../write-user-file';
import { chartSchema } from './chart-schema';
import { officeResult, readGrantedFile, requireExtension } from './office-files';

interface DocumentInput extends DocumentSpec {
    file_path: string;
}

const runs = {
    type: 'array',
    items: {
        type: 'object',
        properties: {
            text: { type: 'string' }, bold: { type: 'boolean' }, italic: { type: 'boolean' }, underline: { type: 'boolean' }, code: { type: 'boolean' },
            color: { type: 'string' }, size: { type: 'number' }, link: { type: 'string' }
        },
        required: ['text'], additionalProperties: false
    }
};

/** Pictures named relative to the document are looked up beside it; all reads go through the grants. */
export function imageLoader(ctx: ToolContext, baseFile: string): (p: string) => Promise<Buffer> {
    const base = path.dirname(ctx.grants.resolve(baseFile, 'write').real);
    return async p => (await readGrantedFile(ctx, path.isAbsolute(p) ? p : path.resolve(base, p))).bytes;
}

export const documentTool: Tool<DocumentInput> = {
    name: 'Document',
    description: 'Creates a Word document (.docx). Write the content as Markdown in "markdown" (# headings, **bold**, *italic*, [links](url), '
        + 'numbered and bulleted lists with nesting, | tables |, ![caption](picture.png) pictures, ``` code ```), and/or as "blocks" for what Markdown '
        + 'cannot say: {"type":"chart","chart":{...}} embeds a chart picture drawn from data, {"type":"toc"} a table of contents, {"type":"pageBreak"}, '
        + 'tables with column widths, styled runs. Set "toc": true for a table of contents after the title, "header"/"footer" for page headers and '
        + 'footers ("Page {page} of {pages}"), "page" for A4/Letter, orientation and margins. Pictures are PNG/JPEG/GIF files in the granted folders '
        + '(relative paths are beside the document). Markdown content comes first, then blocks. After writing, call CheckOffice on the file to '
        + 'see the rendered pages. Replacing a file the task did not create asks the user.',
    inputSchema: {
        type: 'object',
        properties: {
            file_path: { type: 'string', description: 'Absolute path of the .docx to write' },
            title: { type: 'string', description: 'Document title, shown first in Title style' },
            markdown: { type: 'string', description: 'The body as Markdown' },
            blocks: {
                type: 'array',
                items: {
                    type: 'object',
                    properties: {
                        type: { enum: ['heading', 'paragraph', 'list', 'table', 'image', 'chart', 'code', 'quote', 'pageBreak', 'toc'] },
                        level: { type: 'integer', minimum: 1, maximum: 6 },
                        text: { type: 'string' },
                        runs,
                        align: { enum: ['left', 'center', 'right', 'justify'] },
                        ordered: { type: 'boolean' },
                        items: { type: 'array', description: 'List items: strings or {text, runs, items (nested)}', items: { anyOf: [{ type: 'string' }, { type: 'object' }] } },
                        header: { type: 'array', items: { type: 'string' } },
                        rows: { type: 'array', items: { type: 'array', items: { type: ['string', 'number', 'null'] } } },
                        widths: { type: 'array', items: { type: 'number' }, description: 'Column widths in cm' },
                        caption: { type: 'string' },
                        path: { type: 'string', description: 'Picture file (image block)' },
                        width: { type: 'number', description: 'Picture width in pixels at 96 dpi (at most the text width)' },
                        chart: chartSchema,
                        title: { type: 'string' }
                    },
                    required: ['type'],
                    additionalProperties: false
                }
            },
            toc: { type: 'boolean' },
            page: {
                type: 'object',
                properties: { size: { enum: ['A4', 'Letter'] }, orientation: { enum: ['portrait', 'landscape'] }, marginsCm: { type: 'number', minimum: 0.5, maximum: 6 } },
                additionalProperties: false
            },
            header: { type: 'string' },
            footer: { type: 'string' },
            font: { type: 'string' },
            fontSize: { type: 'number', minimum: 6, maximum: 30 }
        },
        required: ['file_path'],
        additionalProperties: false
    },
    run: (input, ctx) => officeResult(async () => {
        const file = requireExtension(input.file_path, ['.docx'], 'A document');
        const { file_path: _ignored, ...spec } = input;
        const { bytes, summary } = await officeLib().buildDocument(spec, { loadImage: imageLoader(ctx, file) });
        const written = await writeUserFile(ctx, 'Document', file, bytes);
        return {
            content: `${written.change === 'created' ? 'Created' : 'Replaced'} ${written.path}: ${summary.headings} headings, ${summary.paragraphs} paragraphs, `
                + `${summary.tables} tables, ${summary.images} pictures. Run CheckOffice on it to see the rendered pages.`
        };
    })
};
