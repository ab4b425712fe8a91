import type * as ExcelJS from 'exceljs';
import { columnNumber, parseRange } from './cell-address';
import { argb, cellValue } from './spreadsheet-cells';
import type { SheetSpec, TableSpec, ValidationSpec, ConditionalFormatSpec } from './spreadsheet-spec';
import { OfficeError } from './office-error';

/**
 * Sheet-level features shared by the in-memory and the streaming writer: widths, frozen panes,
 * conditional formatting, data validation, merges, filters.
 */
export function applySheetFeatures(ws: ExcelJS.Worksheet, spec: SheetSpec, where: string): void {
    spec.columns?.forEach((c, i) => {
        if (c.width) {
            ws.getColumn(i + 1).width = c.width;
        }
    });
    for (const [letter, width] of Object.entries(spec.columnWidths ?? {})) {
        if (!/^[A-Za-z]{1,3}$/.test(letter) || typeof width !== 'number' || width <= 0) {
            throw new OfficeError(`${where}.columnWidths: "${letter}: ${width}" should be a column letter and a positive width`);
        }
        ws.getColumn(columnNumber(letter)).width = width;
    }
    const views = frozenViews(spec);
    if (views) {
        // The streaming writer takes its views when the sheet is added; its `views` has no setter.
        const settable = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(ws), 'views')?.set !== undefined || !('views' in Object.getPrototypeOf(ws));
        if (settable) {
            ws.views = views;
        }
    }
    spec.conditionalFormats?.forEach((cf, i) => ws.addConditionalFormatting(conditionalFormat(cf, `${where}.conditionalFormats[${i}]`)));
    spec.validations?.forEach((v, i) => addValidation(ws, v, `${where}.validations[${i}]`));
    spec.merge?.forEach((range, i) => {
        parseRange(range, `${where}.merge[${i}]`);
        ws.mergeCells(range);
    });
    if (spec.autoFilter) {
        parseRange(spec.autoFilter, `${where}.autoFilter`);
        ws.autoFilter = spec.autoFilter;
    }
}

export function frozenViews(spec: SheetSpec): Partial<ExcelJS.WorksheetView>[] | undefined {
    if (spec.freeze && ((spec.freeze.rows ?? 0) > 0 || (spec.freeze.columns ?? 0) > 0)) {
        return [{ state: 'frozen', xSplit: spec.freeze.columns ?? 0, ySplit: spec.freeze.rows ?? 0 }];
    }
    return undefined;
}

function conditionalFormat(cf: ConditionalFormatSpec, where: string): ExcelJS.ConditionalFormattingOptions {
    parseRange(cf.range, where);
    if (!Array.isArray(cf.values) || cf.values.length === 0) {
        throw new OfficeError(`${where}: "values" needs the comparison value(s) or the formula`);
    }
    const style: Partial<ExcelJS.Style> = {};
    if (cf.fill) {
        style.fill = { type: 'pattern', pattern: 'solid', bgColor: { argb: argb(cf.fill, where) } };
    }
    if (cf.color || cf.bold) {
        style.font = { ...(cf.color ? { color: { argb: argb(cf.color, where) } } : {}), ...(cf.bold ? { bold: true } : {}) };
    }
    if (!cf.fill && !cf.color && !cf.bold) {
        style.fill = { type: 'pattern', pattern: 'solid', bgColor: { argb: 'FFFFC7CE' } };
        style.font = { color: { argb: 'FF9C0006' } };
    }
    const formulae = cf.values.map(v => typeof v === 'string' ? v.replace(/^=/, '') : v);
    const rule: ExcelJS.ConditionalFormattingRule = cf.rule === 'expression'
        ? { type: 'expression', priority: 1, formulae: formulae as any, style }
        : { type: 'cellIs', priority: 1, operator: cf.rule, formulae: formulae as any, style } as ExcelJS.ConditionalFormattingRule;
    if (cf.rule === 'between' && formulae.length < 2) {
        throw new OfficeError(`${where}: "between" needs two values`);
    }
    return { ref: cf.range, rules: [rule] };
}

function addValidation(ws: ExcelJS.Worksheet, v: ValidationSpec, where: string): void {
    parseRange(v.range, where);
    let formulae: any[];
    if (v.type === 'list') {
        if (v.source) {
            formulae = [v.source.replace(/^=/, '')];
        } else if (v.values?.length) {
            const joined = v.values.join(',');
            if (joined.length > 255) {
                throw new OfficeError(`${where}: a list of values longer than 255 characters must live in cells; give "source" instead`);
            }
            formulae = [`"${joined.replace(/"/g, '""')}"`];
        } else {
            throw new OfficeError(`${where}: a list validation needs "values" or "source"`);
        }
    } else {
        formulae = [v.min, v.max].filter(x => x !== undefined);
        if (formulae.length === 0) {
            throw new OfficeError(`${where}: a ${v.type} validation needs "min" and/or "max"`);
        }
    }
    const operator = v.operator ?? (v.type === 'list' ? undefined : v.min !== undefined && v.max !== undefined ? 'between' : v.min !== undefined ? 'greaterThanOrEqual' : 'lessThanOrEqual');
    const dv: ExcelJS.DataValidation = {
        type: v.type, allowBlank: v.allowBlank ?? true, formulae,
        ...(operator ? { operator } : {}),
        ...(v.errorMessage ? { showErrorMessage: true, errorStyle: 'stop', error: v.errorMessage } : { showErrorMessage: true })
    } as ExcelJS.DataValidation;
    const dvs = (ws as any).dataValidations;
    if (dvs && typeof dvs.add === 'function') {
        dvs.add(v.range, dv);
    } else {
        const r = parseRange(v.range, where);
        for (let row = r.top; row <= r.bottom; row++) {
            for (let col = r.left; col <= r.right; col++) {
                ws.getCell(row, col).dataValidation = dv;
            }
        }
    }
}

/** A real Excel table (ListObject) with its rows; formulas in rows stay formulas. */
export function addTable(ws: ExcelJS.Worksheet, t: TableSpec, where: string): void {
    if (!/^[A-Za-z_][A-Za-z0-9_.]*$/.test(t.name ?? '')) {
        throw new OfficeError(`${where}: table name "${t.name}" must start with a letter and have no spaces`);
    }
    if (!Array.isArray(t.columns) || t.columns.length === 0 || !Array.isArray(t.rows)) {
        throw new OfficeError(`${where}: a table needs "columns" and "rows"`);
    }
    t.rows.forEach((r, i) => {
        if (!Array.isArray(r) || r.length !== t.columns.length) {
            throw new OfficeError(`${where}.rows[${i}]: has ${Array.isArray(r) ? r.length : 'no'} cells; the table has ${t.columns.length} columns`);
        }
    });
    ws.addTable({
        name: t.name, ref: t.ref, headerRow: true, totalsRow: !!t.totalsRow,
        style: { theme: (t.style ?? 'TableStyleMedium2') as any, showRowStripes: true },
        columns: t.columns.map(c => ({ name: c.name, totalsRowFunction: c.totalsRowFunction ?? 'none', totalsRowLabel: c.totalsRowLabel }) as ExcelJS.TableColumnProperties),
        rows: t.rows.map((r, i) => r.map((c, j) => cellValue(c, `${where}.rows[${i}][${j}]`)))
    });
}
