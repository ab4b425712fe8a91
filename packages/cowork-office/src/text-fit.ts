import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as opentype from 'opentype.js';

/**
 * Measures text with the real font's advance widths (the font LibreOffice and PowerPoint will
 * draw with: Calibri maps to the metric-compatible Carlito), so a deck can shrink or split text
 * before it overflows its box instead of after.
 */
const fonts = new Map<string, opentype.Font | null>();

function fontFor(family: string, bold: boolean): opentype.Font | null {
    const key = `${family}:${bold ? 'bold' : 'regular'}`;
    if (!fonts.has(key)) {
        let font: opentype.Font | null = null;
        try {
            const file = execFileSync('fc-match', ['-f', '%{file}', `${family}:${bold ? 'bold' : 'regular'}`], { encoding: 'utf8', timeout: 5000 }).trim();
            if (/\.(ttf|otf)$/i.test(file)) {
                const bytes = fs.readFileSync(file);
                font = opentype.parse(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
            }
        } catch {
            // No fontconfig or an unreadable font: fall back to the average-width estimate below.
        }
        fonts.set(key, font);
    }
    return fonts.get(key)!;
}

/** Width in points of `text` set in `family` at `size` points. */
export function textWidth(text: string, size: number, family = 'Calibri', bold = false): number {
    const font = fontFor(family, bold);
    if (!font) {
        return text.length * size * (bold ? 0.55 : 0.5);
    }
    return font.getAdvanceWidth(text, size, { kerning: true });
}

/** Greedy word wrap into lines no wider than `width` points; long words break by character. */
export function wrapText(text: string, width: number, size: number, family = 'Calibri', bold = false): string[] {
    const lines: string[] = [];
    for (const para of text.split('\n')) {
        let line = '';
        for (const word of para.split(/\s+/).filter(Boolean)) {
            const candidate = line ? `${line} ${word}` : word;
            if (textWidth(candidate, size, family, bold) <= width) {
                line = candidate;
                continue;
            }
            if (line) {
                lines.push(line);
            }
            line = word;
            while (textWidth(line, size, family, bold) > width && line.length > 1) {
                let cut = line.length - 1;
                while (cut > 1 && textWidth(line.slice(0, cut), size, family, bold) > width) {
                    cut--;
                }
                lines.push(line.slice(0, cut));
                line = line.slice(cut);
            }
        }
        lines.push(line);
    }
    return lines;
}

export interface Paragraph {
    text: string;
    level?: number;
    bold?: boolean;
}

export interface BoxFit {
    size: number;
    fits: boolean;
    height: number;
}

/** Line height as a multiple of the font size, as LibreOffice and PowerPoint set single spacing for Calibri. */
export const LINE_HEIGHT = 1.22;
/** Space after each paragraph, as a multiple of the font size. */
export const PARA_SPACE = 0.3;
/** Indent of each bullet level, in points. */
export const LEVEL_INDENT = 22;

/** Height in points that paragraphs need in a box `width` points wide at `size` points. */
export function paragraphsHeight(paras: Paragraph[], width: number, size: number, family = 'Calibri'): number {
    let h = 0;
    for (const p of paras) {
        const indent = LEVEL_INDENT * ((p.level ?? 0) + 1);
        const lines = wrapText(p.text, Math.max(20, width - indent), size, family, !!p.bold).length;
        h += lines * size * LINE_HEIGHT + size * PARA_SPACE;
    }
    return h;
}

/** The largest size from `max` down to `min` (in 1 pt steps) at which the paragraphs fit the box. */
export function fitParagraphs(paras: Paragraph[], width: number, height: number, max: number, min: number, family = 'Calibri'): BoxFit {
    for (let size = max; size >= min; size--) {
        const h = paragraphsHeight(paras, width, size, family);
        if (h <= height) {
            return { size, fits: true, height: h };
        }
    }
    return { size: min, fits: false, height: paragraphsHeight(paras, width, min, family) };
}

/** Splits paragraphs into consecutive groups that each fit the box at `size`. */
export function splitParagraphs(paras: Paragraph[], width: number, height: number, size: number, family = 'Calibri'): Paragraph[][] {
    const groups: Paragraph[][] = [];
    let cur: Paragraph[] = [];
    for (const p of paras) {
        if (cur.length && paragraphsHeight([...cur, p], width, size, family) > height) {
            groups.push(cur);
            cur = [];
        }
        cur.push(p);
    }
    if (cur.length) {
        groups.push(cur);
    }
    return groups;
}
