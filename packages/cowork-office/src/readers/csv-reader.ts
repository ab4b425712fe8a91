import * as path from 'path';
import { OfficeError } from '../office-error';
import type { DocumentText } from './document-text';

/** A CSV's text with its shape; the delimiter is guessed from the first line. */
export function readCsv(file: string, bytes: Buffer, maxChars: number): DocumentText {
    const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
    if (!text.trim()) {
        throw new OfficeError(`${path.basename(file)} is empty: it has no header and no rows`);
    }
    const lines = text.split(/\r?\n/).filter(l => l.trim());
    const first = lines[0];
    const delimiter = [',', ';', '\t', '|'].sort((a, b) => first.split(b).length - first.split(a).length)[0];
    const notes = lines.length === 1 ? [`${path.basename(file)} has a header but no data rows`] : [];
    return {
        kind: 'csv',
        text: text.length > maxChars ? text.slice(0, maxChars) : text,
        facts: { rows: lines.length - 1, columns: first.split(delimiter).length, delimiter: delimiter === '\t' ? 'tab' : delimiter },
        notes
    };
}
