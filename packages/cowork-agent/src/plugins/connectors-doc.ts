import type { ConnectorCategory } from './plugin-types';

/**
 * Reads the table of a plugin's CONNECTORS.md (Category | Placeholder | Included servers | …),
 * which says which MCP servers fill each `~~category` placeholder in its skills.
 */
export function parseConnectorsDoc(text: string): ConnectorCategory[] {
    const rows = text.replace(/\r\n?/g, '\n').split('\n').filter(l => /^\s*\|/.test(l)).map(splitRow);
    const headerIdx = rows.findIndex(r => r.some(c => /placeholder/i.test(c)));
    if (headerIdx < 0) {
        return [];
    }
    const header = rows[headerIdx].map(c => c.toLowerCase());
    const col = (re: RegExp) => header.findIndex(c => re.test(c));
    const cCat = col(/categor/);
    const cPh = col(/placeholder/);
    const cSrv = col(/included|server/);
    const out: ConnectorCategory[] = [];
    for (const row of rows.slice(headerIdx + 1)) {
        if (row.every(c => /^:?-+:?$/.test(c) || c === '')) {
            continue;
        }
        const ph = (row[cPh] ?? '').replace(/`/g, '').trim();
        if (!ph.startsWith('~~')) {
            continue;
        }
        out.push({
            placeholder: ph,
            category: (cCat >= 0 ? row[cCat] : ph.slice(2)).replace(/`/g, '').trim() || ph.slice(2),
            servers: cSrv >= 0 ? (row[cSrv] ?? '').split(',').map(s => s.replace(/[`*]/g, '').trim()).filter(s => s !== '' && s !== '-') : []
        });
    }
    return out;
}

function splitRow(line: string): string[] {
    return line.trim().replace(/^\|/, '').replace(/\|$/, '').split('|').map(c => c.trim());
}
