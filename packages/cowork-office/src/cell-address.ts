import { OfficeError } from './office-error';

/** "A" → 1, "AB" → 28. */
export function columnNumber(letters: string): number {
    let n = 0;
    for (const ch of letters.toUpperCase()) {
        n = n * 26 + (ch.charCodeAt(0) - 64);
    }
    return n;
}

/** 1 → "A", 28 → "AB". */
export function columnLetters(n: number): string {
    let s = '';
    while (n > 0) {
        const r = (n - 1) % 26;
        s = String.fromCharCode(65 + r) + s;
        n = Math.floor((n - 1) / 26);
    }
    return s;
}

/** "B7" (dollars allowed) → { row: 7, col: 2 }; anything else is an error naming `where`. */
export function parseAddress(addr: string, where: string): { row: number; col: number } {
    const m = /^\$?([A-Za-z]{1,3})\$?(\d{1,7})$/.exec(addr.trim());
    if (!m) {
        throw new OfficeError(`${where}: "${addr}" is not a cell address like B7`);
    }
    return { col: columnNumber(m[1]), row: Number(m[2]) };
}

/** "A1:C9" or a single cell → its corners. */
export function parseRange(range: string, where: string): { top: number; left: number; bottom: number; right: number } {
    const bare = range.includes('!') ? range.slice(range.lastIndexOf('!') + 1) : range;
    const [a, b] = bare.split(':');
    const s = parseAddress(a, where);
    const e = b ? parseAddress(b, where) : s;
    return { top: Math.min(s.row, e.row), left: Math.min(s.col, e.col), bottom: Math.max(s.row, e.row), right: Math.max(s.col, e.col) };
}

/** A sheet name in a formula or defined name: quoted when it has spaces or punctuation. */
export function quoteSheet(name: string): string {
    return /^[A-Za-z_][A-Za-z0-9_.]*$/.test(name) ? name : `'${name.replace(/'/g, "''")}'`;
}
