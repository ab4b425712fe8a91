import { runCommand } from './run-command';
import { OfficeError } from './office-error';

export interface Box {
    xMin: number;
    yMin: number;
    xMax: number;
    yMax: number;
}

export interface Word extends Box {
    text: string;
}

export interface TextLine {
    page: number;
    text: string;
    words: Word[];
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
            const words = [...lm[5].matchAll(/<word xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([-\d.]+)" yMax="([-\d.]+)">([\s\S]*?)<\/word>/g)]
                .map(w => ({ xMin: +w[1], yMin: +w[2], xMax: +w[3], yMax: +w[4], text: decodeEntities(w[5]) }));
            page.lines.push({ page: page.page, text: words.map(w => w.text).join(' '), words, xMin: +lm[1], yMin: +lm[2], xMax: +lm[3], yMax: +lm[4] });
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
 * Words drawn over other words: text overflowing its box into the next one. pdftotext may merge
 * such text into one line, so the test is on words. Two words count when their intersection
 * covers over a third of the smaller one; neighbours in a tight paragraph do not.
 */
export function overlappingText(pages: PageLayout[], maxWordsPerPage = 3000): { page: number; a: string; b: string }[] {
    const out: { page: number; a: string; b: string }[] = [];
    const seen = new Set<string>();
    for (const p of pages) {
        const words = p.lines.flatMap(l => l.words.map(w => ({ ...w, line: l.text }))).filter(w => w.text.trim()).slice(0, maxWordsPerPage);
        words.sort((x, y) => x.yMin - y.yMin);
        for (let i = 0; i < words.length; i++) {
            const a = words[i];
            for (let j = i + 1; j < words.length && words[j].yMin < a.yMax; j++) {
                const b = words[j];
                const key = `${p.page}\0${a.line}\0${b.line}`;
                if (overlapShare(a, b) > 0.34 && !seen.has(key)) {
                    seen.add(key);
                    out.push({ page: p.page, a: a.line, b: b.line });
                }
            }
        }
    }
    return out;
}

function overlapShare(a: Box, b: Box): number {
    const w = Math.min(a.xMax, b.xMax) - Math.max(a.xMin, b.xMin);
    const h = Math.min(a.yMax, b.yMax) - Math.max(a.yMin, b.yMin);
    if (w <= 0 || h <= 0) {
        return 0;
    }
    const smaller = Math.min((a.xMax - a.xMin) * (a.yMax - a.yMin), (b.xMax - b.xMin) * (b.yMax - b.yMin));
    return smaller > 0 ? (w * h) / smaller : 0;
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
