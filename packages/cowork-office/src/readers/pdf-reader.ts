import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { OfficeError } from '../office-error';
import { pdfInfo } from '../pdf-layout';
import { runCommand } from '../run-command';
import type { DocumentText } from './document-text';
import { ocrImage } from './ocr';

/** Pages OCR'd at most when a PDF has no text layer; scanning more is slow and rarely wanted. */
const OCR_PAGES = 5;

/** Text of a PDF with poppler's pdftotext (layout kept); a scan without a text layer is OCR'd. */
export async function readPdf(file: string, signal?: AbortSignal): Promise<DocumentText> {
    const head = fs.readFileSync(file).subarray(0, 5).toString('latin1');
    if (head !== '%PDF-') {
        throw new OfficeError(`${path.basename(file)} is not a PDF (it does not start with %PDF-); it may be corrupt or another format`);
    }
    const res = await runCommand('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'], { timeoutMs: 120_000, signal });
    if (res.code !== 0) {
        if (/password/i.test(res.stderr)) {
            throw new OfficeError(`${path.basename(file)} is password-protected; it cannot be read without the password`);
        }
        throw new OfficeError(`${path.basename(file)} could not be read as a PDF; it looks damaged (${res.stderr.trim().split('\n')[0] || `exit code ${res.code}`})`);
    }
    const info = await pdfInfo(file);
    const text = res.stdout.toString('utf8').replace(/\f/g, '\n\n').replace(/[ \t]+\n/g, '\n').trim();
    if (text.replace(/\s/g, '').length > 0) {
        return { kind: 'pdf', text, facts: { pages: info.pages }, notes: [] };
    }
    return ocrPdf(file, info.pages, signal);
}

async function ocrPdf(file: string, pages: number, signal?: AbortSignal): Promise<DocumentText> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cowork-ocr-'));
    try {
        const n = Math.min(pages, OCR_PAGES);
        const r = await runCommand('pdftoppm', ['-r', '200', '-gray', '-png', '-f', '1', '-l', String(n), file, path.join(dir, 'p')], { timeoutMs: 120_000, signal });
        if (r.code !== 0) {
            throw new OfficeError(`${path.basename(file)} has no text layer and its pages could not be rendered for OCR (${r.stderr.trim()})`);
        }
        const texts: string[] = [];
        for (const png of fs.readdirSync(dir).filter(f => f.endsWith('.png')).sort()) {
            texts.push(await ocrImage(path.join(dir, png), signal));
        }
        const text = texts.join('\n\n').trim();
        const notes = [`${path.basename(file)} has no text layer (a scan or picture); its text was recognised by OCR and may contain mistakes`];
        if (pages > n) {
            notes.push(`only the first ${n} of ${pages} pages were OCR'd`);
        }
        if (!text) {
            throw new OfficeError(`${path.basename(file)} has no text layer and OCR found no readable text in it (${pages} page(s)); it may be a blank or image-only document`);
        }
        return { kind: 'pdf', text, facts: { pages, ocrPages: n }, notes };
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}
