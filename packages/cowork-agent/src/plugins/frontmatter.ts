import { LineCounter, parseDocument } from 'yaml';
import { scanLenientFrontmatter } from './lenient-frontmatter';

export interface ParsedMarkdown {
    data: Record<string, unknown>;
    body: string;
    /** 1-based line where the body starts. */
    bodyLine: number;
    /** Set when strict YAML failed and the line scanner was used instead. */
    lenient?: { line: number; reason: string };
}

export class FrontmatterError extends Error {
    constructor(message: string, readonly line: number) {
        super(message);
    }
}

/**
 * Splits `---` frontmatter from a markdown component and parses it as YAML. Real plugins ship
 * frontmatter that is not valid YAML (plain scalars holding `: ` and `<example>` text); then a
 * line scanner that only knows `knownKeys` takes over, as long as it finds something usable.
 */
export function parseMarkdownComponent(text: string, knownKeys: readonly string[]): ParsedMarkdown {
    const lines = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n').split('\n');
    if (lines[0]?.trim() !== '---') {
        return { data: {}, body: lines.join('\n'), bodyLine: 1 };
    }
    const close = lines.findIndex((l, i) => i > 0 && (l.trimEnd() === '---' || l.trimEnd() === '...'));
    if (close < 0) {
        throw new FrontmatterError('frontmatter starts with --- but has no closing --- line', 1);
    }
    const yamlText = lines.slice(1, close).join('\n');
    const body = lines.slice(close + 1).join('\n').replace(/^\n+/, m => m);
    const bodyLine = close + 2;
    const counter = new LineCounter();
    const doc = parseDocument(yamlText, { lineCounter: counter, prettyErrors: false, uniqueKeys: false });
    if (doc.errors.length === 0) {
        const data = doc.toJS() as unknown;
        if (data === null || data === undefined) {
            return { data: {}, body, bodyLine };
        }
        if (typeof data !== 'object' || Array.isArray(data)) {
            throw new FrontmatterError('frontmatter must be a set of "key: value" lines', 2);
        }
        return { data: data as Record<string, unknown>, body, bodyLine };
    }
    const first = doc.errors[0];
    const errLine = 1 + (first.linePos?.[0]?.line ?? counter.linePos(first.pos[0]).line);
    const reason = first.message.split('\n')[0];
    const scanned = scanLenientFrontmatter(lines.slice(1, close), knownKeys);
    if (Object.keys(scanned).length === 0 || (!scanned.description && !scanned.name)) {
        throw new FrontmatterError(`invalid YAML frontmatter: ${reason}`, errLine);
    }
    return { data: scanned, body, bodyLine, lenient: { line: errLine, reason } };
}
