import { analyzeData } from './data-analysis';
import { OfficeError } from './office-error';
import type { CellInput, SheetSpec, WorkbookSpec } from './spreadsheet-spec';

/**
 * Replaces each sheet's `source` with the file's header and rows (typed by DuckDB: numbers stay
 * numbers, dates become dates) and appends its formula columns, so the writer sees plain rows.
 */
export async function expandSheetSources(spec: WorkbookSpec): Promise<WorkbookSpec> {
    const sheets: SheetSpec[] = [];
    for (const [i, s] of (spec.sheets ?? []).entries()) {
        sheets.push(await expandSheet(s, `sheets[${i}]`));
    }
    return { ...spec, sheets };
}

async function expandSheet(s: SheetSpec, where: string): Promise<SheetSpec> {
    if (!s.source && !s.formulaColumns?.length) {
        return s;
    }
    let header: string[] = (s.columns ?? []).map(c => c.header ?? '');
    let data: CellInput[][] = s.rows ?? [];
    if (s.source) {
        if (s.rows?.length || s.startRow) {
            throw new OfficeError(`${where}: give either "source" or "rows" (with "startRow"), not both`);
        }
        const result = await analyzeData({ sources: [{ path: s.source.path, sheet: s.source.sheet, table: 'source' }], sql: 'SELECT * FROM source', maxRows: Number.MAX_SAFE_INTEGER });
        const table = result.tables[0];
        if (!table) {
            throw new OfficeError(`${where}.source: ${s.source.path} has no data`);
        }
        const types = table.columns.map(c => c.type);
        header = table.columns.map(c => c.name);
        data = result.result!.rows.map(r => r.map((v, j) => typedCell(v, types[j])));
    }
    const formulas = s.formulaColumns ?? [];
    formulas.forEach((f, j) => {
        if (typeof f.formula !== 'string' || !f.formula.includes('{row}')) {
            throw new OfficeError(`${where}.formulaColumns[${j}]: the formula must use {row} for the row number, e.g. "=C{row}*D{row}"`);
        }
    });
    const start = s.startRow ?? (header.some(Boolean) ? 2 : 1);
    const width = Math.max(header.length, ...data.map(r => r.length));
    const rows = data.map((r, i) => [
        ...r, ...Array(width - r.length).fill(null),
        ...formulas.map(f => '=' + f.formula.replace(/^=/, '').replace(/\{row\}/g, String(start + i)))
    ]);
    const columns = [
        ...Array.from({ length: width }, (_, j) => ({ ...(s.columns?.[j] ?? {}), header: s.columns?.[j]?.header ?? header[j] })),
        ...formulas.map(f => ({ header: f.header, numFmt: f.numFmt, width: f.width }))
    ];
    return { ...s, source: undefined, formulaColumns: undefined, columns, rows };
}

function typedCell(v: unknown, type: string): CellInput {
    if (v === null || v === undefined) {
        return null;
    }
    if (typeof v === 'string' && (type === 'DATE' || type.startsWith('TIMESTAMP'))) {
        return { date: v.slice(0, 19).replace(' ', 'T'), numFmt: type === 'DATE' ? 'yyyy-mm-dd' : 'yyyy-mm-dd hh:mm' };
    }
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') {
        // Text from a data file is data: one starting with "=" must not become a formula.
        return typeof v === 'string' && v.startsWith('=') ? { value: v } : v;
    }
    return String(v);
}
