/**
 * A forgiving reader for frontmatter a YAML parser rejects. It only recognises `knownKeys` at
 * the start of a line; every other line (indented or not) continues the value of the key before
 * it. That is what the authors of such files meant: a long description with colons in it.
 */
export function scanLenientFrontmatter(lines: string[], knownKeys: readonly string[]): Record<string, unknown> {
    const keys = new Set(knownKeys);
    const out: Record<string, unknown> = {};
    let current: string | undefined;
    let parts: string[] = [];
    const flush = () => {
        if (current !== undefined) {
            out[current] = finishValue(parts);
        }
    };
    for (const line of lines) {
        const m = /^([A-Za-z][\w-]*)\s*:(?:\s+(.*)|\s*)$/.exec(line);
        if (m && keys.has(m[1])) {
            flush();
            current = m[1];
            parts = m[2] !== undefined ? [m[2]] : [];
            continue;
        }
        if (current !== undefined) {
            parts.push(line);
        }
    }
    flush();
    return out;
}

function finishValue(parts: string[]): unknown {
    const first = (parts[0] ?? '').trim();
    let rest = parts.slice(1);
    // A block scalar indicator (`>` or `|`) on the key line: the text starts on the next line.
    const block = /^[>|][+-]?$/.test(first);
    const lines = block ? rest : parts;
    if (!block) {
        rest = [];
    }
    const listItems = lines.filter(l => l.trim() !== '');
    if (!block && first === '' && listItems.length > 0 && listItems.every(l => /^\s*-\s+/.test(l))) {
        return listItems.map(l => unquote(l.replace(/^\s*-\s+/, '').trim()));
    }
    const text = block && first.startsWith('|')
        ? lines.map(l => l.replace(/^\s{1,2}/, '')).join('\n').trim()
        : lines.map(l => l.trim()).filter(l => l !== '').join(' ').trim();
    if (/^\[.*\]$/.test(text)) {
        return text.slice(1, -1).split(',').map(s => unquote(s.trim())).filter(s => s !== '');
    }
    if (/^\d+$/.test(text)) {
        return Number(text);
    }
    if (text === 'true' || text === 'false') {
        return text === 'true';
    }
    return unquote(text);
}

function unquote(s: string): string {
    if (s.length >= 2 && ((s.startsWith('"') && s.endsWith('"')) || (s.startsWith("'") && s.endsWith("'")))) {
        return s.slice(1, -1);
    }
    return s;
}
