import type { WorkbookSpec } from '@cowork/office';
import { officeLib } from './office-lib';
import * as fs from 'fs';
import type { Tool } from '../../tool';
import { ToolError } from '../../tool';
import { writeUserFile } from '../write-user-file';
import { officeResult, readGrantedFile, requireExtension, stageGrantedFiles } from './office-files';

interface SpreadsheetInput extends WorkbookSpec {
    file_path: string;
    mode?: 'create' | 'edit';
}

const color = { type: 'string', pattern: '^#?[0-9a-fA-F]{6}$', description: '#RRGGBB' };
const cell = {
    description: 'A cell: a number, text, true/false, null, a formula as text starting with "=" (e.g. "=SUM(B2:B9)", "=VLOOKUP(B2,Categories!$A$2:$B$9,2,FALSE)"), '
        + 'or an object {value|formula|date, numFmt, bold, italic, color, fill, align, wrap, fontSize}. Dates as {"date":"2024-03-31"}.',
    anyOf: [
        { type: 'string' }, { type: 'number' }, { type: 'boolean' }, { type: 'null' },
        {
            type: 'object',
            properties: {
                value: { type: ['string', 'number', 'boolean', 'null'] }, formula: { type: 'string' }, date: { type: 'string' },
                numFmt: { type: 'string' }, bold: { type: 'boolean' }, italic: { type: 'boolean' }, color, fill: color,
                align: { enum: ['left', 'center', 'right'] }, wrap: { type: 'boolean' }, fontSize: { type: 'number' }
            },
            additionalProperties: false
        }
    ]
};
const range = { type: 'string', description: 'A range like "C2:C200"' };

export const spreadsheetTool: Tool<SpreadsheetInput> = {
    name: 'Spreadsheet',
    description: 'Creates or edits an Excel workbook (.xlsx) from a structured spec, with LIVE formulas. Write every computed number as a formula '
        + '("=SUM(C2:C40)", "=SUMIF(Data!B:B,A2,Data!C:C)", "=C2*D2") — never a value you worked out yourself — so the workbook stays correct when the '
        + 'user changes an input. Supports several sheets, typed cells (numbers, text, dates, booleans), cross-sheet references, named ranges, '
        + 'number formats ("#,##0.00", "0.0%", "yyyy-mm-dd", "$#,##0"), conditional formatting, data validation (drop-down lists), Excel tables, frozen panes, '
        + 'column widths and merged cells. A sheet can be filled from a data file ("source") with formula columns added per row ("formulaColumns"), so '
        + 'large data never has to pass through you. Use INDEX/MATCH or VLOOKUP rather than XLOOKUP/LET/FILTER (not supported by LibreOffice). '
        + 'mode "edit" (the default when the file exists) changes only the sheets and cells named and keeps everything else; a sheet with '
        + '"clear": true is rewritten; "remove": true deletes it. Large data (over 5,000 rows) is written with a streaming writer. '
        + 'After writing, call CheckOffice on the file: it recalculates with LibreOffice and lists every error cell. Replacing a file the task did not create asks the user.',
    inputSchema: {
        type: 'object',
        properties: {
            file_path: { type: 'string', description: 'Absolute path of the .xlsx to create or edit' },
            mode: { enum: ['create', 'edit'], description: 'create: a new workbook (replacing any file there); edit: change an existing one. Default: edit if the file exists' },
            sheets: {
                type: 'array', minItems: 1,
                items: {
                    type: 'object',
                    properties: {
                        name: { type: 'string', description: 'Sheet name (1-31 characters, no \\ / ? * [ ] :)' },
                        source: {
                            type: 'object', description: 'Fill the sheet from a data file (CSV, TSV, XLSX, JSON, Parquet) instead of writing rows: its header row becomes the column headers, numbers and dates stay typed. Use this for large data',
                            properties: { path: { type: 'string' }, sheet: { type: 'string', description: 'For a workbook source: which sheet' } },
                            required: ['path'], additionalProperties: false
                        },
                        formulaColumns: {
                            type: 'array', description: 'Formula columns after the data columns, one formula per data row; {row} is the row number, e.g. {"header":"Total","formula":"=C{row}*D{row}"}',
                            items: { type: 'object', properties: { header: { type: 'string' }, formula: { type: 'string' }, numFmt: { type: 'string' }, width: { type: 'number' } }, required: ['header', 'formula'], additionalProperties: false }
                        },
                        columns: {
                            type: 'array', description: 'Column headers (written as row 1, bold), widths and number formats, in order from column A',
                            items: { type: 'object', properties: { header: { type: 'string' }, width: { type: 'number' }, numFmt: { type: 'string' } }, additionalProperties: false }
                        },
                        rows: { type: 'array', description: 'Rows of cells from column A, starting under the header row (or at row 1, or at startRow)', items: { type: 'array', items: cell } },
                        startRow: { type: 'integer', minimum: 1 },
                        cells: { type: 'object', description: 'Cells by address, e.g. {"F2": "=SUM(C2:C9)", "E2": "Total"}', additionalProperties: cell },
                        columnWidths: { type: 'object', description: 'e.g. {"A": 30, "C": 12}', additionalProperties: { type: 'number' } },
                        columnFormats: { type: 'object', description: 'Number format per column letter for every written row, e.g. {"C": "#,##0.00"}', additionalProperties: { type: 'string' } },
                        freeze: { type: 'object', properties: { rows: { type: 'integer', minimum: 0 }, columns: { type: 'integer', minimum: 0 } }, additionalProperties: false },
                        conditionalFormats: {
                            type: 'array',
                            items: {
                                type: 'object',
                                properties: {
                                    range,
                                    rule: { enum: ['greaterThan', 'lessThan', 'between', 'equal', 'notEqual', 'greaterThanOrEqual', 'lessThanOrEqual', 'expression'] },
                                    values: { type: 'array', minItems: 1, items: { type: ['string', 'number'] }, description: 'Comparison value(s) (two for between), or one formula for expression, relative to the top-left cell, e.g. "$C2>Settings!$B$1"' },
                                    fill: color, color, bold: { type: 'boolean' }
                                },
                                required: ['range', 'rule', 'values'], additionalProperties: false
                            }
                        },
                        validations: {
                            type: 'array',
                            items: {
                                type: 'object',
                                properties: {
                                    range, type: { enum: ['list', 'whole', 'decimal', 'date', 'textLength'] },
                                    values: { type: 'array', items: { type: 'string' } }, source: { type: 'string', description: 'Range holding the list, e.g. "Categories!$A$2:$A$20"' },
                                    operator: { enum: ['between', 'notBetween', 'equal', 'notEqual', 'greaterThan', 'lessThan', 'greaterThanOrEqual', 'lessThanOrEqual'] },
                                    min: { type: ['number', 'string'] }, max: { type: ['number', 'string'] }, allowBlank: { type: 'boolean' }, errorMessage: { type: 'string' }
                                },
                                required: ['range', 'type'], additionalProperties: false
                            }
                        },
                        tables: {
                            type: 'array', description: 'Excel tables (with filter buttons and banded rows) holding their own rows',
                            items: {
                                type: 'object',
                                properties: {
                                    name: { type: 'string' }, ref: { type: 'string', description: 'Top-left cell of the header row' },
                                    columns: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' }, totalsRowFunction: { enum: ['sum', 'average', 'count', 'min', 'max', 'none'] }, totalsRowLabel: { type: 'string' } }, required: ['name'], additionalProperties: false } },
                                    rows: { type: 'array', items: { type: 'array', items: cell } }, totalsRow: { type: 'boolean' }, style: { type: 'string' }
                                },
                                required: ['name', 'ref', 'columns', 'rows'], additionalProperties: false
                            }
                        },
                        merge: { type: 'array', items: range },
                        autoFilter: range,
                        clear: { type: 'boolean', description: 'edit: rewrite this sheet from scratch' },
                        remove: { type: 'boolean', description: 'edit: delete this sheet' }
                    },
                    required: ['name'],
                    additionalProperties: false
                }
            },
            namedRanges: {
                type: 'array',
                items: { type: 'object', properties: { name: { type: 'string' }, range: { type: 'string', description: 'e.g. "Categories!$A$2:$B$20"' } }, required: ['name', 'range'], additionalProperties: false }
            }
        },
        required: ['file_path', 'sheets'],
        additionalProperties: false
    },
    run: (input, ctx) => officeResult(async () => {
        const file = requireExtension(input.file_path, ['.xlsx'], 'A workbook');
        const { real } = ctx.grants.resolve(file, 'write');
        const exists = fs.existsSync(real);
        const mode = input.mode ?? (exists ? 'edit' : 'create');
        if (mode === 'edit' && !exists) {
            throw new ToolError(`${real} does not exist; use mode "create" to make it`);
        }
        const existing = mode === 'edit' ? (await readGrantedFile(ctx, file)).bytes : undefined;
        // Data files named as sheet sources are read through the grants, like any other input.
        const sourced = input.sheets.filter(sh => sh?.source?.path);
        const { bytes, summary } = await stageGrantedFiles(ctx, sourced.map(sh => sh.source!.path), staged => {
            const sheets = input.sheets.map(sh => {
                const k = sourced.indexOf(sh);
                return k < 0 ? sh : { ...sh, source: { ...sh.source!, path: staged[k].copy } };
            });
            return officeLib().buildWorkbook({ sheets, namedRanges: input.namedRanges }, existing);
        });
        const written = await writeUserFile(ctx, 'Spreadsheet', file, bytes);
        const sheets = summary.sheets.map(s => `${s.name} (${s.rows} rows, ${s.formulas} formulas)`).join(', ');
        return {
            content: `${written.change === 'created' ? 'Created' : 'Updated'} ${written.path}: ${sheets}; ${summary.formulas} formulas in all`
                + `${summary.streamed ? ' (written with the streaming writer)' : ''}. Run CheckOffice on it to recalculate and find error cells.`
        };
    })
};
