import type * as Office from '@cowork/office';

/**
 * @cowork/office pulls in exceljs, docx, pptxgenjs, DuckDB, vega and more (seconds of start-up on a
 * busy machine): it is loaded on the first office tool call, not when the CLI starts.
 */
export function officeLib(): typeof Office {
    return require('@cowork/office') as typeof Office;
}
