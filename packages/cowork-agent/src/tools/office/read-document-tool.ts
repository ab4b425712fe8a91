import { officeLib } from './office-lib';
import type { Tool } from '../../tool';
import { officeResult, stageGrantedFiles } from './office-files';

interface ReadDocumentInput {
    file_path: string;
    max_chars?: number;
    max_rows?: number;
}

export const readDocumentTool: Tool<ReadDocumentInput> = {
    name: 'ReadDocument',
    description: 'Reads the text and structure of a document: PDF (text layer; scanned PDFs are OCR\'d), Word .docx (as Markdown with headings, '
        + 'lists and tables), PowerPoint .pptx (each slide\'s title, bullets and speaker notes), Excel .xlsx (each sheet as rows, formulas shown '
        + 'with their saved results, named ranges), older .doc/.xls/.ppt and OpenDocument files (through LibreOffice), CSV, plain text, and pictures such as photographed or scanned receipts (PNG/JPEG/TIFF, by OCR: '
        + 'check amounts against the picture with Read when they matter). Use it instead of Read for any office file, PDF or picture whose words '
        + 'you need. Password-protected, empty and damaged files give a clear message.',
    inputSchema: {
        type: 'object',
        properties: {
            file_path: { type: 'string', description: 'Absolute path of the file to read' },
            max_chars: { type: 'integer', minimum: 1000, description: 'Longest text returned (default 60000)' },
            max_rows: { type: 'integer', minimum: 1, description: 'Rows shown per sheet of a workbook (default 200)' }
        },
        required: ['file_path'],
        additionalProperties: false
    },
    readOnly: true,
    run: (input, ctx) => officeResult(() => stageGrantedFiles(ctx, [input.file_path], async ([f]) => {
        const doc = await officeLib().readDocument(f.copy, { maxChars: input.max_chars, maxRows: input.max_rows, signal: ctx.signal });
        return { content: officeLib().formatDocumentText(f.real, doc) };
    }))
};
