import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { sharedLibreOffice } from '../libre-office';
import { OfficeError } from '../office-error';
import { readCsv } from './csv-reader';
import type { DocumentText } from './document-text';
import { readDocx } from './docx-reader';
import { ocrImage } from './ocr';
import { readPdf } from './pdf-reader';
import { readPptx } from './pptx-reader';
import { readXlsx } from './xlsx-reader';

export type { DocumentText };

export interface ReadOptions {
    /** Longest text returned; the rest is cut with a note (default 60,000 characters). */
    maxChars?: number;
    /** Rows shown per sheet of a workbook (default 200). */
    maxRows?: number;
    signal?: AbortSignal;
}

/** Older and OpenDocument formats are read through LibreOffice's conversion to their OOXML counterpart. */
const CONVERTED: Record<string, 'docx' | 'xlsx' | 'pptx'> = {
    '.doc': 'docx', '.odt': 'docx', '.rtf': 'docx', '.xls': 'xlsx', '.ods': 'xlsx', '.ppt': 'pptx', '.odp': 'pptx'
};
const TEXT = new Set(['.txt', '.md', '.markdown', '.json', '.xml', '.html', '.htm', '.yaml', '.yml', '.log', '.tsv']);
const IMAGES = new Set(['.png', '.jpg', '.jpeg', '.tif', '.tiff', '.bmp', '.gif', '.webp']);

/** Text and structure of PDF, Word, PowerPoint, Excel, CSV, text files, and pictures (by OCR). */
export async function readDocument(file: string, options: ReadOptions = {}): Promise<DocumentText> {
    const maxChars = options.maxChars ?? 60_000;
    const ext = path.extname(file).toLowerCase();
    let bytes: Buffer;
    try {
        bytes = fs.readFileSync(file);
    } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        throw new OfficeError(code === 'ENOENT' ? `${file} does not exist` : code === 'EISDIR' ? `${file} is a folder` : `cannot read ${file}: ${code}`);
    }
    if (bytes.length === 0) {
        throw new OfficeError(`${path.basename(file)} is empty (0 bytes)`);
    }
    if (CONVERTED[ext]) {
        return readConverted(file, CONVERTED[ext], options);
    }
    let doc: DocumentText;
    if (ext === '.pdf') {
        doc = await readPdf(file, options.signal);
    } else if (ext === '.docx') {
        doc = await readDocx(file, bytes);
    } else if (ext === '.pptx') {
        doc = await readPptx(file, bytes);
    } else if (ext === '.xlsx' || ext === '.xlsm') {
        doc = await readXlsx(file, bytes, options.maxRows);
    } else if (ext === '.csv') {
        doc = readCsv(file, bytes, maxChars);
    } else if (IMAGES.has(ext)) {
        const text = await ocrImage(file, options.signal);
        if (!text) {
            throw new OfficeError(`OCR found no readable text in ${path.basename(file)}`);
        }
        doc = { kind: 'image', text, facts: { characters: text.length }, notes: ['text recognised by OCR; check amounts and names against the picture'] };
    } else if (TEXT.has(ext) || looksLikeText(bytes)) {
        doc = { kind: 'text', text: bytes.toString('utf8'), facts: { lines: bytes.toString('utf8').split('\n').length }, notes: [] };
    } else {
        throw new OfficeError(`${path.basename(file)}: cannot read "${ext || 'no extension'}" files (PDF, Word, PowerPoint, Excel and OpenDocument files, CSV, text and pictures are supported)`);
    }
    if (doc.text.length > maxChars) {
        doc.notes.push(`text cut at ${maxChars} of ${doc.text.length} characters`);
        doc.text = doc.text.slice(0, maxChars);
    }
    return doc;
}

async function readConverted(file: string, target: 'docx' | 'xlsx' | 'pptx', options: ReadOptions): Promise<DocumentText> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cowork-read-'));
    try {
        const [converted] = await sharedLibreOffice().convert([file], target, dir, options.signal);
        const doc = await readDocument(converted, options);
        doc.notes.unshift(`${path.extname(file).slice(1)} file read through LibreOffice's conversion to ${target}`);
        return doc;
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

function looksLikeText(bytes: Buffer): boolean {
    const head = bytes.subarray(0, 4096);
    return !head.includes(0) && Buffer.from(head.toString('utf8'), 'utf8').length >= head.length - 4;
}

/** The reading as the text the model gets. */
export function formatDocumentText(file: string, doc: DocumentText): string {
    const facts = Object.entries(doc.facts).map(([k, v]) => `${k}: ${v}`).join(', ');
    const notes = doc.notes.map(n => `Note: ${n}`).join('\n');
    return `${path.basename(file)} (${doc.kind}${facts ? `; ${facts}` : ''})\n${notes ? notes + '\n' : ''}\n${doc.text}`;
}
