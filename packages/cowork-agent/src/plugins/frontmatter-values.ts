/**
 * Frontmatter values as plugins really write them: a YAML list where a string was meant
 * (`argument-hint: [name]`), a comma string where a list was meant (`tools: Read, Grep`),
 * the string "true" for a boolean.
 */

/** A string; a list becomes `[a, b]` again, which is what its author typed. */
export function asText(v: unknown): string | undefined {
    if (v === undefined || v === null) {
        return undefined;
    }
    if (Array.isArray(v)) {
        return `[${v.map(x => asText(x) ?? '').join(', ')}]`;
    }
    if (typeof v === 'object') {
        return JSON.stringify(v);
    }
    return String(v);
}

/** A list of names; a string is split on commas that are not inside parentheses. */
export function asList(v: unknown): string[] | undefined {
    if (v === undefined || v === null || v === '') {
        return undefined;
    }
    if (Array.isArray(v)) {
        return v.map(x => String(x).trim()).filter(x => x !== '');
    }
    const out: string[] = [];
    let depth = 0;
    let cur = '';
    for (const ch of String(v)) {
        if (ch === '(') {
            depth++;
        } else if (ch === ')') {
            depth = Math.max(0, depth - 1);
        }
        if (ch === ',' && depth === 0) {
            out.push(cur.trim());
            cur = '';
        } else {
            cur += ch;
        }
    }
    out.push(cur.trim());
    return out.filter(x => x !== '');
}

export function asBool(v: unknown, dflt: boolean): boolean {
    if (typeof v === 'boolean') {
        return v;
    }
    if (typeof v === 'string') {
        const s = v.trim().toLowerCase();
        if (s === 'true' || s === 'yes') {
            return true;
        }
        if (s === 'false' || s === 'no') {
            return false;
        }
    }
    return dflt;
}

export function asPositiveInt(v: unknown): number | undefined {
    const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v) : NaN;
    return Number.isInteger(n) && n > 0 ? n : undefined;
}

/** The first paragraph of a body, for a component that has no description. */
export function firstParagraph(body: string): string {
    const para = body.split(/\n\s*\n/).map(p => p.replace(/^#+\s*/gm, '').trim()).find(p => p !== '');
    return (para ?? '').replace(/\s+/g, ' ').slice(0, 300);
}
