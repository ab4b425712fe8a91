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

/** Advance widths at 1 pt, by font and word: fitting re-measures the same words at many sizes. */
const unitWidths = new Map<string, Map<string, number>>();

function unitWidth(text: string, family: string, bold: boolean): number {
    const key = `${family}:${bold ? 'b' : 'r'}`;
    let cache = unitWidths.get(key);
    if (!cache) {
        cache = new Map();
        unitWidths.set(key, cache);
    }
    let w = cache.get(text);
    if (w === undefined) {
        const font = fontFor(family, bold);
        w = font ? font.getAdvanceWidth(text, 1, { kerning: true }) : text.length * (bold ? 0.55 : 0.5);
        if (cache.size < 50_000) {
            cache.set(text, w);
        }
    }
    return w;
}

/** Width in points of `text` set in `family` at `size` points. */
export function textWidth(text: string, size: number, family = 'Calibri', bold = false): number {
    return unitWidth(text, family, bold) * size;
}

/**
 * Greedy word wrap into lines no wider than `width` points; long words break by character.
 * A line's width is the sum of its words and spaces (kerning across a space is nil).
 */
export function wrapText(text: string, width: number, size: number, family = 'Calibri', bold = false): string[] {
    const lines: string[] = [];
    const space = unitWidth(' ', family, bold) * size;
    for (const para of text.split('\n')) {
        let line = '';
        let lineWidth = 0;
        for (const word of para.split(/\s+/).filter(Boolean)) {
            const w = unitWidth(word, family, bold) * size;
            if (line && lineWidth + space + w <= width) {
                line += ' ' + word;
                lineWidth += space + w;
                continue;
            }
            if (!line && w <= width) {
                line = word;
                lineWidth = w;
                continue;
            }
            if (line) {
                lines.push(line);
            }
            line = word;
            lineWidth = w;
            while (lineWidth > width && line.length > 1) {
                let cut = line.length - 1;
                while (cut > 1 && textWidth(line.slice(0, cut), size, family, bold) > width) {
                    cut--;
                }
                lines.push(line.slice(0, cut));
                line = line.slice(cut);
                lineWidth = textWidth(line, size, family, bold);
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
