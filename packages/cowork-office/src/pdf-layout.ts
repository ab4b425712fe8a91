import { runCommand } from './run-command';
import { OfficeError } from './office-error';

export interface TextLine {
    page: number;
    text: string;
    xMin: number;
    yMin: number;
    xMax: number;
    yMax: number;
}

export interface PageLayout {
    page: number;
    width: number;
    height: number;
    lines: TextLine[];
}

/** Every text line of a PDF with its box, from poppler's `pdftotext -bbox-layout`. */
export async function pdfLayout(pdf: string): Promise<PageLayout[]> {
    const res = await runCommand('pdftotext', ['-bbox-layout', pdf, '-'], { timeoutMs: 60_000 });
    if (res.code !== 0) {
        throw new OfficeError(`pdftotext could not read ${pdf}: ${res.stderr.trim() || `exit code ${res.code}`}`);
    }
    return parseBboxLayout(res.stdout.toString('utf8'));
}

export function parseBboxLayout(xhtml: string): PageLayout[] {
    const pages: PageLayout[] = [];
    const pageRe = /<page width="([\d.]+)" height="([\d.]+)">([\s\S]*?)<\/page>/g;
    let pm: RegExpExecArray | null;
    while ((pm = pageRe.exec(xhtml))) {
        const page: PageLayout = { page: pages.length + 1, width: +pm[1], height: +pm[2], lines: [] };
        const lineRe = /<line xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([-\d.]+)" yMax="([-\d.]+)">([\s\S]*?)<\/line>/g;
        let lm: RegExpExecArray | null;
        while ((lm = lineRe.exec(pm[3]))) {
            const words = [...lm[5].matchAll(/<word[^>]*>([\s\S]*?)<\/word>/g)].map(w => decodeEntities(w[1]));
            page.lines.push({ page: page.page, text: words.join(' '), xMin: +lm[1], yMin: +lm[2], xMax: +lm[3], yMax: +lm[4] });
        }
        pages.push(page);
    }
    return pages;
}

function decodeEntities(s: string): string {
    return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
}

/** Lines reaching past the page edge (more than `tolerance` points): text the reader never sees. */
export function linesOffPage(pages: PageLayout[], tolerance = 1): TextLine[] {
    return pages.flatMap(p => p.lines.filter(l =>
        l.xMin < -tolerance || l.yMin < -tolerance || l.xMax > p.width + tolerance || l.yMax > p.height + tolerance));
}

/**
 * Pairs of lines drawn over each other: text overflowing its box into the next one. Two boxes
 * count when their intersection covers over a third of the smaller one; touching lines of a
 * tight paragraph do not.
 */
export function overlappingLines(pages: PageLayout[], maxPerPage = 1500): [TextLine, TextLine][] {
    const out: [TextLine, TextLine][] = [];
    for (const p of pages) {
        const lines = p.lines.slice(0, maxPerPage).filter(l => l.text.trim());
        for (let i = 0; i < lines.length; i++) {
            for (let j = i + 1; j < lines.length; j++) {
                const a = lines[i];
                const b = lines[j];
                const w = Math.min(a.xMax, b.xMax) - Math.max(a.xMin, b.xMin);
                const h = Math.min(a.yMax, b.yMax) - Math.max(a.yMin, b.yMin);
                if (w <= 0 || h <= 0) {
                    continue;
                }
                const smaller = Math.min((a.xMax - a.xMin) * (a.yMax - a.yMin), (b.xMax - b.xMin) * (b.yMax - b.yMin));
                if (smaller > 0 && (w * h) / smaller > 0.34) {
                    out.push([a, b]);
                }
            }
        }
    }
    return out;
}

/** Page count and size (points) from `pdfinfo`. */
export async function pdfInfo(pdf: string): Promise<{ pages: number; width: number; height: number }> {
    const res = await runCommand('pdfinfo', [pdf], { timeoutMs: 30_000 });
    const text = res.stdout.toString('utf8');
    const pages = /Pages:\s+(\d+)/.exec(text);
    if (res.code !== 0 || !pages) {
        throw new OfficeError(`pdfinfo could not read ${pdf}: ${res.stderr.trim() || 'no page count'}`);
    }
    const size = /Page size:\s+([\d.]+) x ([\d.]+)/.exec(text);
    return { pages: +pages[1], width: size ? +size[1] : 0, height: size ? +size[2] : 0 };
}
