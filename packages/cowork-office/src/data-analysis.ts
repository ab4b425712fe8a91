import { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import * as ExcelJS from 'exceljs';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { OfficeError, messageOf } from './office-error';
import { sharedLibreOffice } from './libre-office';
import { loadWorkbook } from './xlsx-load';

/** A file to query: CSV/TSV, or a workbook (each sheet becomes a table). */
export interface DataSource {
    path: string;
    /** Table name to use in SQL (default: from the file name). */
    table?: string;
    /** For a workbook: only this sheet. */
    sheet?: string;
}

export type Aggregate = 'sum' | 'count' | 'avg' | 'min' | 'max' | 'median';

export interface AnalysisRequest {
    sources: DataSource[];
    /** Any read-only SQL (DuckDB dialect) over the loaded tables. */
    sql?: string;
    /** Per-column statistics of a table: type, min, max, mean, std, quartiles, nulls, distinct values. */
    summarize?: string;
    /** Cross-tabulation: one row per `rows` value, one column per `columns` value. */
    crosstab?: { table: string; rows: string; columns: string; value?: string; agg?: Aggregate };
    /** Rows whose `column` lies outside Tukey's fences (iqr, k=1.5) or beyond `threshold` standard deviations (zscore, 3). */
    outliers?: { table: string; column: string; method?: 'iqr' | 'zscore'; threshold?: number; by?: string };
    /** Values aggregated per period, with the change from the previous period and a 3-period moving average. */
    timeseries?: { table: string; date: string; value: string; interval?: 'day' | 'week' | 'month' | 'quarter' | 'year'; agg?: Aggregate };
    /** Rows returned at most (default 200). */
    maxRows?: number;
}

export interface QueryResult {
    sql: string;
    columns: string[];
    rows: unknown[][];
    rowCount: number;
    truncated: boolean;
}

export interface AnalysisResult {
    tables: { name: string; source: string; rows: number; columns: { name: string; type: string }[] }[];
    result?: QueryResult;
    notes: string[];
}

/**
 * Analysis through DuckDB, an embedded analytical database: the files are loaded into memory,
 * then file access is switched off for good, so the model's SQL reads only those tables and can
 * write nowhere.
 */
export async function analyzeData(req: AnalysisRequest): Promise<AnalysisResult> {
    if (!Array.isArray(req.sources) || req.sources.length === 0) {
        throw new OfficeError('Name at least one data file in "sources"');
    }
    const instance = await DuckDBInstance.create(':memory:', { threads: '2' });
    const conn = await instance.connect();
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'cowork-data-'));
    try {
        const notes: string[] = [];
        const tables: AnalysisResult['tables'] = [];
        for (const src of req.sources) {
            tables.push(...await loadSource(conn, src, scratch, notes, tables.map(t => t.name)));
        }
        await conn.run(`SET enable_external_access = false`);
        await conn.run(`SET lock_configuration = true`);
        const sql = requestSql(req);
        const result = sql ? await query(conn, sql, req.maxRows ?? 200) : undefined;
        return { tables, result, notes };
    } finally {
        conn.closeSync();
        instance.closeSync();
        fs.rmSync(scratch, { recursive: true, force: true });
    }
}

export function identifier(name: string): string {
    return `"${name.replace(/"/g, '""')}"`;
}

function literal(s: string): string {
    return `'${s.replace(/'/g, "''")}'`;
}

function tableNameFor(base: string, taken: string[]): string {
    let name = base.toLowerCase().replace(/[^a-z0-9_]+/g, '_').replace(/^_+|_+$/g, '') || 'data';
    if (/^\d/.test(name)) {
        name = `t_${name}`;
    }
    let unique = name;
    for (let i = 2; taken.includes(unique); i++) {
        unique = `${name}_${i}`;
    }
    return unique;
}

async function loadSource(conn: DuckDBConnection, src: DataSource, scratch: string, notes: string[], taken: string[]): Promise<AnalysisResult['tables']> {
    const file = src.path;
    const ext = path.extname(file).toLowerCase();
    let bytes: Buffer;
    try {
        bytes = fs.readFileSync(file);
    } catch (e) {
        throw new OfficeError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? messageOf(e)}`);
    }
    if (ext === '.xlsx' || ext === '.xlsm') {
        let wb = await loadWorkbook(bytes, path.basename(file));
        const missing = uncalculatedFormulas(wb);
        if (missing > 0) {
            // Saved without results (as exceljs writes formulas): let LibreOffice calculate them first.
            const [recalculated] = await sharedLibreOffice().convert([file], 'xlsx', path.join(scratch, `recalc-${taken.length}`));
            wb = await loadWorkbook(fs.readFileSync(recalculated), `${path.basename(file)} as recalculated by LibreOffice`);
            notes.push(`${path.basename(file)}: ${missing} formula(s) had no saved results; LibreOffice recalculated the workbook before reading it`);
        }
        const out: AnalysisResult['tables'] = [];
        const sheets = wb.worksheets.filter(ws => !src.sheet || ws.name === src.sheet);
        if (src.sheet && sheets.length === 0) {
            throw new OfficeError(`${path.basename(file)} has no sheet "${src.sheet}" (sheets: ${wb.worksheets.map(w => w.name).join(', ')})`);
        }
        for (const ws of sheets) {
            if (ws.actualRowCount === 0) {
                notes.push(`sheet "${ws.name}" of ${path.basename(file)} is empty; skipped`);
                continue;
            }
            const csv = path.join(scratch, `${out.length}-${taken.length}.csv`);
            const uncalculated = sheetToCsv(ws, csv);
            if (uncalculated > 0) {
                notes.push(`sheet "${ws.name}": ${uncalculated} formula cell(s) have no result and read as empty`);
            }
            const base = src.table && sheets.length === 1 ? src.table : `${path.parse(file).name}_${ws.name}`;
            const name = tableNameFor(src.table && sheets.length === 1 ? src.table : base, [...taken, ...out.map(t => t.name)]);
            out.push(await createFromCsv(conn, name, csv, `${path.basename(file)} [${ws.name}]`));
        }
        return out;
    }
    if (ext === '.csv' || ext === '.tsv' || ext === '.txt') {
        if (!bytes.toString('utf8').trim()) {
            throw new OfficeError(`${path.basename(file)} is empty: it has no header and no rows`);
        }
        const name = tableNameFor(src.table ?? path.parse(file).name, taken);
        return [await createFromCsv(conn, name, file, path.basename(file))];
    }
    if (ext === '.json' || ext === '.parquet') {
        const name = tableNameFor(src.table ?? path.parse(file).name, taken);
        const fn = ext === '.json' ? 'read_json_auto' : 'read_parquet';
        await run(conn, `CREATE TABLE ${identifier(name)} AS SELECT * FROM ${fn}(${literal(file)})`, path.basename(file));
        return [await describe(conn, name, path.basename(file))];
    }
    throw new OfficeError(`${path.basename(file)}: data files are CSV, TSV, XLSX, JSON or Parquet`);
}

async function createFromCsv(conn: DuckDBConnection, name: string, csv: string, label: string): Promise<AnalysisResult['tables'][number]> {
    await run(conn, `CREATE TABLE ${identifier(name)} AS SELECT * FROM read_csv(${literal(csv)}, header = true, auto_detect = true, sample_size = -1)`, label);
    return describe(conn, name, label);
}

async function describe(conn: DuckDBConnection, name: string, label: string): Promise<AnalysisResult['tables'][number]> {
    const cols = await conn.runAndReadAll(`SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ${literal(name)} ORDER BY ordinal_position`);
    const count = await conn.runAndReadAll(`SELECT count(*) FROM ${identifier(name)}`);
    return {
        name, source: label,
        rows: Number(count.getRowsJson()[0][0]),
        columns: cols.getRowsJson().map(r => ({ name: String(r[0]), type: String(r[1]) }))
    };
}

async function run(conn: DuckDBConnection, sql: string, label: string): Promise<void> {
    try {
        await conn.run(sql);
    } catch (e) {
        throw new OfficeError(`${label} could not be loaded: ${messageOf(e).split('\n')[0]}`);
    }
}

function uncalculatedFormulas(wb: ExcelJS.Workbook): number {
    let n = 0;
    wb.eachSheet(ws => ws.eachRow({ includeEmpty: false }, row => row.eachCell({ includeEmpty: false }, cell => {
        if (cell.type === ExcelJS.ValueType.Formula && cell.result === undefined) {
            n++;
        }
    })));
    return n;
}

/** Cached values of a sheet as CSV; returns how many formula cells had no saved result. */
function sheetToCsv(ws: ExcelJS.Worksheet, file: string): number {
    let uncalculated = 0;
    const width = ws.actualColumnCount || ws.columnCount;
    const lines: string[] = [];
    ws.eachRow({ includeEmpty: false }, row => {
        const cells: string[] = [];
        for (let c = 1; c <= width; c++) {
            const cell = row.getCell(c);
            let v = cell.value as any;
            if (v && typeof v === 'object' && !(v instanceof Date)) {
                if ('formula' in v || 'sharedFormula' in v) {
                    // cell.result, not v.result: exceljs's `value` drops a cached 0, '' or false.
                    const result = cell.result as any;
                    if (result === undefined) {
                        uncalculated++;
                    }
                    v = result?.error ?? result;
                } else {
                    v = v.text ?? v.error ?? (v.richText ? v.richText.map((t: { text: string }) => t.text).join('') : JSON.stringify(v));
                }
            }
            const s = v === null || v === undefined ? '' : v instanceof Date ? v.toISOString().slice(0, v.getUTCHours() || v.getUTCMinutes() ? 19 : 10) : String(v);
            cells.push(/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
        }
        lines.push(cells.join(','));
    });
    fs.writeFileSync(file, lines.join('\n') + '\n');
    return uncalculated;
}

function agg(a: Aggregate | undefined, col: string | undefined): string {
    const fn = a ?? (col ? 'sum' : 'count');
    if (!['sum', 'count', 'avg', 'min', 'max', 'median'].includes(fn)) {
        throw new OfficeError(`aggregate "${fn}" is not one of sum, count, avg, min, max, median`);
    }
    return fn === 'count' && !col ? 'count(*)' : `${fn}(${identifier(col ?? '')})`;
}

/** The SQL a request stands for: given, or built from one of the named analyses. */
export function requestSql(req: AnalysisRequest): string | undefined {
    const chosen = [req.sql, req.summarize, req.crosstab, req.outliers, req.timeseries].filter(x => x !== undefined);
    if (chosen.length > 1) {
        throw new OfficeError('Ask for one thing at a time: sql, summarize, crosstab, outliers or timeseries');
    }
    if (req.sql !== undefined) {
        return req.sql;
    }
    if (req.summarize !== undefined) {
        return `SUMMARIZE ${identifier(req.summarize)}`;
    }
    if (req.crosstab) {
        const c = req.crosstab;
        return `PIVOT ${identifier(c.table)} ON ${identifier(c.columns)} USING ${agg(c.agg, c.value)} GROUP BY ${identifier(c.rows)} ORDER BY ${identifier(c.rows)}`;
    }
    if (req.outliers) {
        const o = req.outliers;
        const col = identifier(o.column);
        const t = identifier(o.table);
        const by = o.by ? identifier(o.by) : undefined;
        if ((o.method ?? 'iqr') === 'iqr') {
            const k = o.threshold ?? 1.5;
            return `WITH s AS (SELECT ${by ? `${by}, ` : ''}quantile_cont(${col}, 0.25) AS q1, quantile_cont(${col}, 0.75) AS q3 FROM ${t}${by ? ` GROUP BY ${by}` : ''})
SELECT d.*, round(s.q1 - ${k} * (s.q3 - s.q1), 4) AS lower_fence, round(s.q3 + ${k} * (s.q3 - s.q1), 4) AS upper_fence
FROM ${t} d ${by ? `JOIN s USING (${by})` : 'CROSS JOIN s'}
WHERE d.${col} < s.q1 - ${k} * (s.q3 - s.q1) OR d.${col} > s.q3 + ${k} * (s.q3 - s.q1)
ORDER BY d.${col} DESC`;
        }
        const z = o.threshold ?? 3;
        return `WITH s AS (SELECT ${by ? `${by}, ` : ''}avg(${col}) AS mean, stddev_samp(${col}) AS sd FROM ${t}${by ? ` GROUP BY ${by}` : ''})
SELECT d.*, round((d.${col} - s.mean) / s.sd, 3) AS z_score
FROM ${t} d ${by ? `JOIN s USING (${by})` : 'CROSS JOIN s'}
WHERE s.sd > 0 AND abs((d.${col} - s.mean) / s.sd) > ${z}
ORDER BY abs((d.${col} - s.mean) / s.sd) DESC`;
    }
    if (req.timeseries) {
        const ts = req.timeseries;
        const interval = ts.interval ?? 'month';
        if (!['day', 'week', 'month', 'quarter', 'year'].includes(interval)) {
            throw new OfficeError(`interval "${interval}" is not one of day, week, month, quarter, year`);
        }
        return `WITH p AS (SELECT date_trunc('${interval}', CAST(${identifier(ts.date)} AS DATE)) AS period, ${agg(ts.agg, ts.value)} AS value FROM ${identifier(ts.table)} GROUP BY 1)
SELECT strftime(period, '%Y-%m-%d') AS period, value, value - lag(value) OVER (ORDER BY period) AS change,
round(100.0 * (value - lag(value) OVER (ORDER BY period)) / nullif(lag(value) OVER (ORDER BY period), 0), 2) AS change_pct,
round(avg(value) OVER (ORDER BY period ROWS BETWEEN 2 PRECEDING AND CURRENT ROW), 4) AS moving_avg_3
FROM p ORDER BY p.period`;
    }
    return undefined;
}

async function query(conn: DuckDBConnection, sql: string, maxRows: number): Promise<QueryResult> {
    let reader;
    try {
        reader = await conn.runAndReadAll(sql);
    } catch (e) {
        throw new OfficeError(`The query failed: ${messageOf(e).split('\n').slice(0, 3).join(' ')}`);
    }
    // JSON keeps BIGINT and DECIMAL as strings; numbers that fit a double exactly read better as numbers.
    const numeric = reader.columnTypes().map(t => /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|DECIMAL)/.test(t.toString()));
    const rows = (reader.getRowsJson() as unknown[][]).map(r => r.map((v, i) => numeric[i] && typeof v === 'string' && isExactNumber(v) ? Number(v) : v));
    return { sql, columns: reader.columnNames(), rows: rows.slice(0, maxRows), rowCount: rows.length, truncated: rows.length > maxRows };
}

/** A result as a Markdown table, for the model. */
export function formatAnalysis(r: AnalysisResult): string {
    const parts: string[] = [];
    parts.push('Tables: ' + r.tables.map(t => `${t.name} (${t.rows} rows from ${t.source}: ${t.columns.map(c => `${c.name} ${c.type}`).join(', ')})`).join('; '));
    for (const n of r.notes) {
        parts.push(`Note: ${n}`);
    }
    if (r.result) {
        const q = r.result;
        const cell = (v: unknown) => v === null || v === undefined ? '' : String(typeof v === 'object' ? JSON.stringify(v) : v).replace(/\|/g, '\\|');
        parts.push(`Result: ${q.rowCount} row(s)${q.truncated ? `, first ${q.rows.length} shown` : ''}`);
        parts.push([`| ${q.columns.join(' | ')} |`, `|${q.columns.map(() => '---').join('|')}|`, ...q.rows.map(row => `| ${row.map(cell).join(' | ')} |`)].join('\n'));
    }
    return parts.join('\n');
}

function isExactNumber(s: string): boolean {
    const n = Number(s);
    return Number.isFinite(n) && (s.includes('.') ? Math.abs(n) < 2 ** 53 : Number.isSafeInteger(n));
}
