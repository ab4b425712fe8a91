/**
 * A workbook described as data, the shape the model writes. Formulas stay formulas: a string
 * starting with "=" or a `{ formula }` cell is written as a formula for the spreadsheet program to
 * calculate, never as a number worked out here.
 */
export type CellInput =
    | string
    | number
    | boolean
    | null
    | CellObject;

export interface CellStyle {
    numFmt?: string;
    bold?: boolean;
    italic?: boolean;
    /** Text colour, "#RRGGBB". */
    color?: string;
    /** Background fill, "#RRGGBB". */
    fill?: string;
    align?: 'left' | 'center' | 'right';
    wrap?: boolean;
    fontSize?: number;
}

export interface CellObject extends CellStyle {
    value?: string | number | boolean | null;
    /** A formula, with or without the leading "=". */
    formula?: string;
    /** A calendar date "YYYY-MM-DD" (or an ISO date-time), stored as a real date. */
    date?: string;
}

export interface ColumnSpec {
    header?: string;
    width?: number;
    numFmt?: string;
}

export interface ConditionalFormatSpec {
    /** e.g. "C2:C200". */
    range: string;
    /** cellIs comparisons, or "expression" with a formula relative to the range's top-left cell. */
    rule: 'greaterThan' | 'lessThan' | 'between' | 'equal' | 'notEqual' | 'greaterThanOrEqual' | 'lessThanOrEqual' | 'expression';
    /** Comparison value(s) or formula(s): one, or two for "between". */
    values: (string | number)[];
    fill?: string;
    color?: string;
    bold?: boolean;
}

export interface ValidationSpec {
    range: string;
    type: 'list' | 'whole' | 'decimal' | 'date' | 'textLength';
    /** For "list": the allowed values, or use `source`. */
    values?: string[];
    /** For "list": a range holding the allowed values, e.g. "Categories!$A$2:$A$10". */
    source?: string;
    operator?: 'between' | 'notBetween' | 'equal' | 'notEqual' | 'greaterThan' | 'lessThan' | 'greaterThanOrEqual' | 'lessThanOrEqual';
    min?: number | string;
    max?: number | string;
    allowBlank?: boolean;
    errorMessage?: string;
}

export interface TableSpec {
    name: string;
    /** Top-left cell of the table's header row. */
    ref: string;
    columns: { name: string; totalsRowFunction?: 'sum' | 'average' | 'count' | 'min' | 'max' | 'none'; totalsRowLabel?: string }[];
    rows: CellInput[][];
    totalsRow?: boolean;
    style?: string;
}

/** Rows taken from a data file instead of written out in the spec (large data costs no tokens). */
export interface SheetSource {
    /** A CSV, TSV, XLSX, JSON or Parquet file; its header row becomes the column headers. */
    path: string;
    /** For a workbook: which sheet (default: the first). */
    sheet?: string;
}

/** A formula column added to every data row: "{row}" stands for the row's number, e.g. "=C{row}*D{row}". */
export interface FormulaColumnSpec {
    header: string;
    formula: string;
    numFmt?: string;
    width?: number;
}

export interface SheetSpec {
    name: string;
    /** Rows (and headers) read from a data file, written before `rows`. */
    source?: SheetSource;
    /** Formula columns after the data columns, one formula per data row. */
    formulaColumns?: FormulaColumnSpec[];
    /** Column headers and widths, written as row 1 when any has a header (rows then start at row 2). */
    columns?: ColumnSpec[];
    /** Rows in order, starting at row 1, or right below the header row, or at `startRow`. */
    rows?: CellInput[][];
    startRow?: number;
    /** Cells by address ("B7"), written after the rows. */
    cells?: Record<string, CellInput>;
    /** Column letter → width in characters. */
    columnWidths?: Record<string, number>;
    /** Number format per column letter, applied to every row written. */
    columnFormats?: Record<string, string>;
    /** Freeze panes: the top rows and left columns that stay in view. */
    freeze?: { rows?: number; columns?: number };
    conditionalFormats?: ConditionalFormatSpec[];
    validations?: ValidationSpec[];
    tables?: TableSpec[];
    merge?: string[];
    autoFilter?: string;
    /** Edit only: remove this sheet. */
    remove?: boolean;
    /** Edit only: clear the sheet's cells before writing. */
    clear?: boolean;
}

export interface WorkbookSpec {
    sheets: SheetSpec[];
    /** Named ranges, e.g. { name: "Rates", range: "Lookup!$A$2:$B$20" }. */
    namedRanges?: { name: string; range: string }[];
}

/** What was written, for the tool result. */
export interface WorkbookSummary {
    sheets: { name: string; rows: number; columns: number; formulas: number }[];
    formulas: number;
    streamed: boolean;
}
