import * as ExcelJS from 'exceljs';
import * as path from 'path';
import { loadWorkbook } from '../xlsx-load';
import type { DocumentText } from './document-text';

/**
 * Every sheet as a table of values, formulas shown beside their cached results
 * (`=SUM(B2:B9) → 120`), so the reader sees both what a cell shows and how it is made.
 */
export async function readXlsx(file: string, bytes: Buffer, maxRows = 200): Promise<DocumentText> {
    const wb = await loadWorkbook(bytes, path.basename(file));
    const parts: string[] = [];
    const notes: string[] = [];
    let sheets = 0;
    let formulas = 0;
    wb.eachSheet(ws => {
        sheets++;
        const lines: string[] = [`## Sheet "${ws.name}" (${ws.actualRowCount} rows × ${ws.actualColumnCount} columns${ws.state !== 'visible' ? `, ${ws.state}` : ''})`];
        let shown = 0;
        ws.eachRow({ includeEmpty: false }, (row, n) => {
            row.eachCell({ includeEmpty: false }, c => { formulas += c.type === ExcelJS.ValueType.Formula ? 1 : 0; });
            if (shown >= maxRows) {
                return;
            }
            shown++;
            const cells: string[] = [];
            for (let c = 1; c <= Math.min(ws.actualColumnCount || row.cellCount, 50); c++) {
                cells.push(show(row.getCell(c)));
            }
            lines.push(`${n}: ${cells.join(' | ')}`);
        });
        if (ws.actualRowCount > shown) {
            notes.push(`sheet "${ws.name}": only the first ${shown} of ${ws.actualRowCount} rows are shown; use AnalyzeData to query all of it`);
        }
        parts.push(lines.join('\n'));
    });
    const names: string[] = [];
    const defined = (wb.definedNames as any).model as { name: string; ranges: string[] }[] | undefined;
    for (const d of defined ?? []) {
        names.push(`${d.name} = ${d.ranges.join(', ')}`);
    }
    if (names.length) {
        parts.push(`## Named ranges\n${names.join('\n')}`);
    }
    return { kind: 'xlsx', text: parts.join('\n\n'), facts: { sheets, formulas }, notes };
}

function show(cell: ExcelJS.Cell): string {
    const v = cell.value as any;
    if (v === null || v === undefined) {
        return '';
    }
    if (v instanceof Date) {
        return v.toISOString().slice(0, 10);
    }
    if (typeof v === 'object') {
        if ('formula' in v || 'sharedFormula' in v) {
            // cell.result, not v.result: exceljs's `value` drops a cached 0, '' or false.
            const r = cell.result as any;
            const shown = r === undefined ? '(not calculated)' : r instanceof Date ? r.toISOString().slice(0, 10) : typeof r === 'object' ? r?.error ?? JSON.stringify(r) : String(r);
            return `=${cell.formula} → ${shown}`;
        }
        if ('error' in v) {
            return String(v.error);
        }
        if ('richText' in v) {
            return v.richText.map((t: { text: string }) => t.text).join('');
        }
        if ('text' in v) {
            return String(v.text);
        }
    }
    return String(v);
}
