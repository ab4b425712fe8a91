import type { AnalysisRequest } from '@cowork/office';
import { officeLib } from './office-lib';
import type { Tool } from '../../tool';
import { officeResult, stageGrantedFiles } from './office-files';

type AnalyzeInput = Omit<AnalysisRequest, 'maxRows'> & { max_rows?: number };

const agg = { enum: ['sum', 'count', 'avg', 'min', 'max', 'median'] };

export const analyzeDataTool: Tool<AnalyzeInput> = {
    name: 'AnalyzeData',
    description: 'Queries data files with SQL in DuckDB, an embedded analytical database (no network, read-only). Each source becomes a table: '
        + 'a CSV/TSV/JSON/Parquet file is named after the file ("sales.csv" → sales), each sheet of an .xlsx becomes "<file>_<sheet>" (formula results are read; a '
        + 'workbook saved without them, like one made by Spreadsheet, is recalculated with LibreOffice first). The result lists every table with its column names and types. Then ask ONE of: "sql" (any SELECT in DuckDB SQL: '
        + 'GROUP BY, window functions, quantile_cont, corr, regr_slope, date_trunc, PIVOT...), "summarize" (per-column min/max/mean/std/quartiles/'
        + 'nulls of a table), "crosstab" (rows × columns of an aggregate), "outliers" (Tukey fences k=1.5 by default, or z-score > 3; optionally '
        + 'per group "by"), "timeseries" (per day/week/month/quarter/year with change, % change and 3-period moving average). Call it with only '
        + '"sources" first to see the columns. Results over max_rows (default 200) are cut.',
    inputSchema: {
        type: 'object',
        properties: {
            sources: {
                type: 'array', minItems: 1,
                items: {
                    type: 'object',
                    properties: {
                        path: { type: 'string', description: 'Absolute path of a .csv, .tsv, .xlsx, .json or .parquet file' },
                        table: { type: 'string', description: 'Table name to use instead of the default' },
                        sheet: { type: 'string', description: 'For a workbook: only this sheet' }
                    },
                    required: ['path'], additionalProperties: false
                }
            },
            sql: { type: 'string' },
            summarize: { type: 'string', description: 'Table to summarize' },
            crosstab: {
                type: 'object',
                properties: { table: { type: 'string' }, rows: { type: 'string' }, columns: { type: 'string' }, value: { type: 'string' }, agg },
                required: ['table', 'rows', 'columns'], additionalProperties: false
            },
            outliers: {
                type: 'object',
                properties: { table: { type: 'string' }, column: { type: 'string' }, method: { enum: ['iqr', 'zscore'] }, threshold: { type: 'number' }, by: { type: 'string' } },
                required: ['table', 'column'], additionalProperties: false
            },
            timeseries: {
                type: 'object',
                properties: { table: { type: 'string' }, date: { type: 'string' }, value: { type: 'string' }, interval: { enum: ['day', 'week', 'month', 'quarter', 'year'] }, agg },
                required: ['table', 'date', 'value'], additionalProperties: false
            },
            max_rows: { type: 'integer', minimum: 1, maximum: 5000 }
        },
        required: ['sources'],
        additionalProperties: false
    },
    readOnly: true,
    run: (input, ctx) => officeResult(() => stageGrantedFiles(ctx, input.sources.map(s => s.path), async staged => {
        const { max_rows, ...req } = input;
        const result = await officeLib().analyzeData({ ...req, maxRows: max_rows, sources: input.sources.map((s, i) => ({ ...s, path: staged[i].copy })) });
        return { content: officeLib().formatAnalysis(result) };
    }))
};
