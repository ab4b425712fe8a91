import type * as ExcelJS from 'exceljs';
import { OfficeError } from './office-error';
import type { CellInput, CellObject, CellStyle } from './spreadsheet-spec';

/** Where a cell is in the spec, for messages; a function so a million cells build no strings. */
export type Where = string | (() => string);

export function at(where: Where): string {
    return typeof where === 'string' ? where : where();
}

/** The value exceljs stores for one cell of the spec: formulas stay formulas. */
export function cellValue(input: CellInput, where: Where): ExcelJS.CellValue {
    if (input === null || input === undefined) {
        return null;
    }
    if (typeof input === 'string') {
        return input.startsWith('=') && input.length > 1 ? { formula: input.slice(1) } as ExcelJS.CellFormulaValue : input;
    }
    if (typeof input === 'number') {
        if (!Number.isFinite(input)) {
            throw new OfficeError(`${at(where)}: ${input} is not a finite number`);
        }
        return input;
    }
    if (typeof input === 'boolean') {
        return input;
    }
    if (typeof input !== 'object' || Array.isArray(input)) {
        throw new OfficeError(`${at(where)}: a cell is a string, number, boolean, null or an object like {"formula": "SUM(A1:A3)"}`);
    }
    const obj = input as CellObject;
    if (obj.formula !== undefined) {
        const f = String(obj.formula).replace(/^=/, '');
        if (!f) {
            throw new OfficeError(`${at(where)}: empty formula`);
        }
        return { formula: f } as ExcelJS.CellFormulaValue;
    }
    if (obj.date !== undefined) {
        const d = parseDate(obj.date);
        if (!d) {
            throw new OfficeError(`${at(where)}: "${obj.date}" is not a date like 2024-03-31`);
        }
        return d;
    }
    // `value` is literal: text starting with "=" stays text (data that only looks like a formula).
    return obj.value === undefined ? null : typeof obj.value === 'string' ? obj.value : cellValue(obj.value as CellInput, where);
}

/** Dates are calendar dates: midnight UTC, which exceljs writes as the plain serial number. */
function parseDate(s: string): Date | undefined {
    const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(s.trim());
    if (!m) {
        return undefined;
    }
    const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0)));
    return Number.isNaN(d.getTime()) ? undefined : d;
}

export function isFormulaInput(input: CellInput): boolean {
    return (typeof input === 'string' && input.startsWith('=') && input.length > 1)
        || (typeof input === 'object' && input !== null && (input as CellObject).formula !== undefined);
}

/** "#RRGGBB" → exceljs ARGB. */
export function argb(color: string, where: Where): string {
    const m = /^#?([0-9a-fA-F]{6})$/.exec(color.trim());
    if (!m) {
        throw new OfficeError(`${at(where)}: colour "${color}" is not #RRGGBB`);
    }
    return 'FF' + m[1].toUpperCase();
}

/** Applies the style fields of a cell object (or a column default format). */
export function applyStyle(cell: ExcelJS.Cell, style: CellStyle, where: Where): void {
    if (style.numFmt) {
        cell.numFmt = style.numFmt;
    }
    if (style.bold || style.italic || style.color || style.fontSize) {
        cell.font = {
            ...(cell.font ?? {}),
            ...(style.bold ? { bold: true } : {}),
            ...(style.italic ? { italic: true } : {}),
            ...(style.fontSize ? { size: style.fontSize } : {}),
            ...(style.color ? { color: { argb: argb(style.color, where) } } : {})
        };
    }
    if (style.fill) {
        cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: argb(style.fill, where) } };
    }
    if (style.align || style.wrap) {
        cell.alignment = { ...(style.align ? { horizontal: style.align } : {}), ...(style.wrap ? { wrapText: true } : {}) };
    }
}

export function styleOf(input: CellInput): CellStyle | undefined {
    return typeof input === 'object' && input !== null ? input : undefined;
}
