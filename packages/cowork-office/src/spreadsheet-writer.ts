import * as ExcelJS from 'exceljs';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { columnNumber, parseAddress, quoteSheet } from './cell-address';
import { OfficeError, messageOf } from './office-error';
import { applyStyle, cellValue, isFormulaInput, styleOf, Where } from './spreadsheet-cells';
import { addTable, applySheetFeatures, frozenViews } from './spreadsheet-features';
import type { CellInput, SheetSpec, WorkbookSpec, WorkbookSummary } from './spreadsheet-spec';
import { loadWorkbook, ooxmlProblem } from './xlsx-load';
import { contentLostByEdit } from './edit-safety';
import { expandSheetSources } from './sheet-source';

/** Above this many rows a new workbook goes through exceljs's streaming writer. */
export const STREAMING_ROWS = 5000;

/**
 * Builds a workbook from a spec, or applies a spec to an existing workbook (whatever the spec
 * does not name is kept). Returns the bytes; the caller decides where they go.
 */
export async function buildWorkbook(input: WorkbookSpec, existing?: Buffer): Promise<{ bytes: Buffer; summary: WorkbookSummary }> {
    validateSpec(input);
    const spec = await expandSheetSources(input);
    const totalRows = spec.sheets.reduce((n, s) => n + (s.rows?.length ?? 0), 0);
    if (!existing && totalRows > STREAMING_ROWS && spec.sheets.every(s => !s.tables?.length && !s.merge?.length)) {
        return buildStreaming(spec);
    }
    if (existing) {
        const problem = ooxmlProblem(existing, 'the existing workbook');
        const lost = problem ? [] : await contentLostByEdit(existing);
        if (lost.length > 0) {
            throw new OfficeError(`The existing workbook has ${lost.join(', ')}, which editing it here would drop; nothing was changed. `
                + 'Write the new content to a new workbook instead (mode "create" with another file name)');
        }
    }
    const wb = existing ? await loadWorkbook(existing, 'the existing workbook') : new ExcelJS.Workbook();
    if (!existing) {
        wb.creator = 'Cowork';
        wb.created = new Date();
    }
    for (const [i, s] of spec.sheets.entries()) {
        const where = `sheets[${i}] ("${s.name}")`;
        const found = wb.getWorksheet(s.name);
        if (s.remove) {
            if (!found) {
                throw new OfficeError(`${where}: there is no sheet "${s.name}" to remove`);
            }
            wb.removeWorksheet(found.id);
            continue;
        }
        let ws = found ?? wb.addWorksheet(s.name);
        if (found && s.clear) {
            // A fresh sheet in the same place in the tab order: nothing of the old content survives.
            const order = (found as any).orderNo;
            wb.removeWorksheet(found.id);
            ws = wb.addWorksheet(s.name);
            (ws as any).orderNo = order;
        }
        writeSheet(ws, s, where);
    }
    addNamedRanges(wb, spec);
    // Excel recalculates everything on open: no cell shows a value this library did not compute.
    wb.calcProperties = { ...(wb.calcProperties ?? {}), fullCalcOnLoad: true };
    try {
        const bytes = Buffer.from(await wb.xlsx.writeBuffer());
        return { bytes, summary: summarize(wb, false) };
    } catch (e) {
        throw new OfficeError(`Could not write the workbook: ${messageOf(e)}`);
    }
}

function validateSpec(spec: WorkbookSpec): void {
    if (!spec || !Array.isArray(spec.sheets) || spec.sheets.length === 0) {
        throw new OfficeError('A workbook spec needs "sheets": a list with at least one sheet');
    }
    const seen = new Set<string>();
    spec.sheets.forEach((s, i) => {
        const name = s?.name;
        if (typeof name !== 'string' || !name.trim() || name.length > 31 || /[\\/?*[\]:]/.test(name)) {
            throw new OfficeError(`sheets[${i}]: sheet name "${name}" must be 1–31 characters without \\ / ? * [ ] :`);
        }
        if (seen.has(name.toLowerCase())) {
            throw new OfficeError(`sheets[${i}]: sheet "${name}" appears twice`);
        }
        seen.add(name.toLowerCase());
        if (s.rows !== undefined && !Array.isArray(s.rows)) {
            throw new OfficeError(`sheets[${i}].rows must be a list of rows (lists of cells)`);
        }
    });
}

function firstDataRow(s: SheetSpec): number {
    if (s.startRow) {
        return s.startRow;
    }
    return s.columns?.some(c => c.header) ? 2 : 1;
}

function writeSheet(ws: ExcelJS.Worksheet, s: SheetSpec, where: string): void {
    if (s.columns?.some(c => c.header)) {
        const header = ws.getRow(1);
        s.columns.forEach((c, j) => {
            const cell = header.getCell(j + 1);
            cell.value = c.header ?? null;
            cell.font = { bold: true };
        });
    }
    const formats = columnFormats(s);
    const start = firstDataRow(s);
    s.rows?.forEach((r, i) => {
        if (!Array.isArray(r)) {
            throw new OfficeError(`${where}.rows[${i}] must be a list of cells`);
        }
        const row = ws.getRow(start + i);
        r.forEach((c, j) => writeCell(row.getCell(j + 1), c, formats.get(j + 1), () => `${where}.rows[${i}][${j}]`));
    });
    for (const [addr, c] of Object.entries(s.cells ?? {})) {
        const { row, col } = parseAddress(addr, `${where}.cells`);
        writeCell(ws.getCell(row, col), c, formats.get(col), `${where}.cells.${addr}`);
    }
    s.tables?.forEach((t, i) => addTable(ws, t, `${where}.tables[${i}]`));
    applySheetFeatures(ws, s, where);
}

function writeCell(cell: ExcelJS.Cell, c: CellInput, columnFormat: string | undefined, where: Where): void {
    cell.value = cellValue(c, where);
    if (columnFormat) {
        cell.numFmt = columnFormat;
    }
    const style = styleOf(c);
    if (style) {
        applyStyle(cell, style, where);
    }
}

function columnFormats(s: SheetSpec): Map<number, string> {
    const m = new Map<number, string>();
    s.columns?.forEach((c, j) => c.numFmt && m.set(j + 1, c.numFmt));
    for (const [letter, fmt] of Object.entries(s.columnFormats ?? {})) {
        m.set(columnNumber(letter), fmt);
    }
    return m;
}

function addNamedRanges(wb: ExcelJS.Workbook, spec: WorkbookSpec): void {
    spec.namedRanges?.forEach((n, i) => {
        if (!/^[A-Za-z_][A-Za-z0-9_.]*$/.test(n.name ?? '') || /^[A-Za-z]{1,3}\d+$/.test(n.name)) {
            throw new OfficeError(`namedRanges[${i}]: "${n.name}" is not a valid name (letters, digits, _ and not a cell address)`);
        }
        const m = /^(?:'((?:[^']|'')+)'|([^!]+))!(.+)$/.exec(n.range ?? '');
        if (!m) {
            throw new OfficeError(`namedRanges[${i}]: range "${n.range}" must name its sheet, e.g. Lookup!$A$2:$B$20`);
        }
        const sheet = (m[1] ?? m[2]).replace(/''/g, "'");
        if (!wb.getWorksheet(sheet)) {
            throw new OfficeError(`namedRanges[${i}]: there is no sheet "${sheet}"`);
        }
        const absolute = m[3].replace(/\$?([A-Za-z]{1,3})\$?(\d+)/g, '$$$1$$$2');
        (wb.definedNames as any).add(`${quoteSheet(sheet)}!${absolute}`, n.name);
    });
}

function summarize(wb: ExcelJS.Workbook, streamed: boolean): WorkbookSummary {
    const sheets: WorkbookSummary['sheets'] = [];
    wb.eachSheet(ws => {
        let formulas = 0;
        ws.eachRow({ includeEmpty: false }, row => row.eachCell({ includeEmpty: false }, cell => {
            if (cell.type === ExcelJS.ValueType.Formula) {
                formulas++;
            }
        }));
        sheets.push({ name: ws.name, rows: ws.rowCount, columns: ws.columnCount, formulas });
    });
    return { sheets, formulas: sheets.reduce((n, s) => n + s.formulas, 0), streamed };
}

/** exceljs's streaming writer: rows are committed as they go, so memory stays flat. */
async function buildStreaming(spec: WorkbookSpec): Promise<{ bytes: Buffer; summary: WorkbookSummary }> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cowork-xlsx-'));
    const file = path.join(dir, 'book.xlsx');
    try {
        const summary = await writeWorkbookStreaming(spec, file);
        return { bytes: fs.readFileSync(file), summary };
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

/** Writes a new workbook straight to `file` with the streaming writer (no tables or merges). */
export async function writeWorkbookStreaming(spec: WorkbookSpec, file: string): Promise<WorkbookSummary> {
    validateSpec(spec);
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useStyles: true, useSharedStrings: false });
    wb.creator = 'Cowork';
    const sheets: WorkbookSummary['sheets'] = [];
    for (const [i, s] of spec.sheets.entries()) {
        const where = `sheets[${i}] ("${s.name}")`;
        const ws = wb.addWorksheet(s.name, { views: frozenViews(s) as ExcelJS.WorksheetView[] | undefined }) as unknown as ExcelJS.Worksheet;
        applySheetFeatures(ws, { ...s, merge: undefined }, where);
        let formulas = 0;
        let width = 0;
        const formats = columnFormats(s);
        if (s.columns?.some(c => c.header)) {
            const header = ws.getRow(1);
            s.columns.forEach((c, j) => { header.getCell(j + 1).value = c.header ?? null; header.getCell(j + 1).font = { bold: true }; });
            header.commit();
        }
        const start = firstDataRow(s);
        const rows = s.rows ?? [];
        for (let r = 0; r < rows.length; r++) {
            const row = ws.getRow(start + r);
            const cells = rows[r];
            if (!Array.isArray(cells)) {
                throw new OfficeError(`${where}.rows[${r}] must be a list of cells`);
            }
            width = Math.max(width, cells.length);
            for (let j = 0; j < cells.length; j++) {
                if (isFormulaInput(cells[j])) {
                    formulas++;
                }
                writeCell(row.getCell(j + 1), cells[j], formats.get(j + 1), () => `${where}.rows[${r}][${j}]`);
            }
            row.commit();
        }
        for (const [addr, c] of Object.entries(s.cells ?? {})) {
            const { row, col } = parseAddress(addr, `${where}.cells`);
            if (row < start + rows.length) {
                throw new OfficeError(`${where}.cells.${addr}: in a streamed sheet, extra cells must lie below the rows`);
            }
            if (isFormulaInput(c)) {
                formulas++;
            }
            writeCell(ws.getCell(row, col), c, formats.get(col), `${where}.cells.${addr}`);
        }
        (ws as any).commit();
        sheets.push({ name: s.name, rows: start - 1 + rows.length, columns: width, formulas });
    }
    addNamedRanges(wb as unknown as ExcelJS.Workbook, spec);
    await wb.commit();
    return { sheets, formulas: sheets.reduce((n, s) => n + s.formulas, 0), streamed: true };
}
