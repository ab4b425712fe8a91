import * as ExcelJS from 'exceljs';

export interface ErrorCell {
    /** "Sheet!B7". */
    ref: string;
    error: string;
    /** The formula as written, when the cell has one. */
    formula?: string;
}

const ERROR_TEXT = /^#(REF!|NAME\?|DIV\/0!|N\/A|VALUE!|NUM!|NULL!|SPILL!|CALC!)$/;

/** A reference "Sheet!B7" with the sheet quoted when needed. */
export function cellRef(sheet: string, address: string): string {
    return `${/^[A-Za-z0-9_.]+$/.test(sheet) ? sheet : `'${sheet.replace(/'/g, "''")}'`}!${address}`;
}

/** Every formula in a workbook, by reference, as the author wrote it. */
export function formulasOf(wb: ExcelJS.Workbook): Map<string, string> {
    const out = new Map<string, string>();
    wb.eachSheet(ws => ws.eachRow({ includeEmpty: false }, row => row.eachCell({ includeEmpty: false }, cell => {
        const v = cell.value as any;
        if (v && typeof v === 'object' && (typeof v.formula === 'string' || typeof v.sharedFormula === 'string')) {
            out.set(cellRef(ws.name, cell.address), v.formula ?? cell.formula ?? v.sharedFormula);
        }
    })));
    return out;
}

/** Error values in a recalculated workbook: formula results and literal error cells alike. */
export function errorCellsOf(wb: ExcelJS.Workbook): ErrorCell[] {
    const out: ErrorCell[] = [];
    wb.eachSheet(ws => ws.eachRow({ includeEmpty: false }, row => row.eachCell({ includeEmpty: false }, cell => {
        const v = cell.value as any;
        const err = v?.error ?? v?.result?.error ?? (typeof v?.result === 'string' && ERROR_TEXT.test(v.result) ? v.result : undefined);
        if (err) {
            out.push({ ref: cellRef(ws.name, cell.address), error: String(err) });
        }
    })));
    return out;
}

/** The calculated value of one cell of a recalculated workbook, as JSON-friendly data. */
export function valueAt(wb: ExcelJS.Workbook, ref: string): unknown {
    const m = /^(?:'((?:[^']|'')+)'|([^!]+))!\$?([A-Za-z]+)\$?(\d+)$/.exec(ref.trim());
    if (!m) {
        return `(not a reference like Sheet!B7: ${ref})`;
    }
    const ws = wb.getWorksheet((m[1] ?? m[2]).replace(/''/g, "'"));
    if (!ws) {
        return `(no sheet "${m[1] ?? m[2]}")`;
    }
    const cell = ws.getCell(`${m[3]}${m[4]}`);
    const v = cell.value as any;
    // A formula's cached result comes from cell.result: exceljs's `value` drops a result of 0, '' or false.
    const plain = v && typeof v === 'object' && !(v instanceof Date)
        ? ('formula' in v || 'sharedFormula' in v ? cell.result as any : v.error ?? v.text ?? v)
        : v;
    return plain instanceof Date ? plain.toISOString().slice(0, 10) : plain?.error ?? plain ?? null;
}
