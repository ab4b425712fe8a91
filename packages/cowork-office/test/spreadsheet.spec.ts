import { expect } from 'chai';
import * as ExcelJS from 'exceljs';
import * as fs from 'fs';
import { buildWorkbook, STREAMING_ROWS } from '../src/spreadsheet-writer';
import { checkOfficeFiles } from '../src/office-check';
import { WorkbookSpec } from '../src/spreadsheet-spec';
import { loadWorkbook } from '../src/xlsx-load';
import { expectOfficeError, tempDir } from './fixtures';

const expenses: WorkbookSpec = {
    sheets: [
        {
            name: 'Expenses',
            columns: [{ header: 'Date', width: 12, numFmt: 'yyyy-mm-dd' }, { header: 'Item', width: 24 }, { header: 'Category', width: 14 }, { header: 'Amount', numFmt: '#,##0.00' }, { header: 'Code' }],
            rows: [
                [{ date: '2024-03-01' }, 'Taxi', 'Travel', 23.5, '=VLOOKUP(C2,CategoryTable,2,FALSE)'],
                [{ date: '2024-03-02' }, 'Hotel', 'Travel', 180, '=VLOOKUP(C3,CategoryTable,2,FALSE)'],
                [{ date: '2024-03-02' }, 'Team lunch', 'Meals', 64.2, '=VLOOKUP(C4,CategoryTable,2,FALSE)']
            ],
            freeze: { rows: 1 },
            conditionalFormats: [{ range: 'D2:D4', rule: 'greaterThan', values: [100], fill: '#FFC7CE', color: '#9C0006' }],
            validations: [{ range: 'C2:C4', type: 'list', source: 'Categories!$A$2:$A$3' }]
        },
        { name: 'Categories', rows: [['Category', 'Code'], ['Travel', 'TRV'], ['Meals', 'MLS']] },
        {
            name: 'Summary',
            rows: [
                ['Category', 'Total'],
                ['Travel', '=SUMIF(Expenses!$C:$C,A2,Expenses!$D:$D)'],
                ['Meals', '=SUMIF(Expenses!$C:$C,A3,Expenses!$D:$D)'],
                ['All', { formula: 'SUM(B2:B3)', bold: true, numFmt: '#,##0.00' }]
            ],
            columnWidths: { A: 18 },
            tables: [{ name: 'Budget', ref: 'D1', columns: [{ name: 'Month' }, { name: 'Budget', totalsRowFunction: 'sum' }], rows: [['March', 500], ['April', 450]], totalsRow: true }]
        }
    ],
    namedRanges: [{ name: 'CategoryTable', range: 'Categories!A2:B3' }]
};

describe('Spreadsheet (exceljs) checked by LibreOffice', function () {
    this.timeout(120_000);
    const tmp = tempDir();
    after(() => tmp.cleanup());

    it('writes formulas as formulas, with named ranges, formats, conditional formatting, validation, tables and frozen panes', async () => {
        const { bytes, summary } = await buildWorkbook(expenses);
        // Six cell formulas and the table's totals-row SUBTOTAL.
        expect(summary.formulas).to.equal(7);
        const wb = await loadWorkbook(bytes, 'test');
        const ex = wb.getWorksheet('Expenses')!;
        expect(ex.getCell('E2').value).to.deep.include({ formula: 'VLOOKUP(C2,CategoryTable,2,FALSE)' });
        expect((ex.getCell('E2').value as ExcelJS.CellFormulaValue).result).to.equal(undefined);
        expect(ex.getCell('D2').numFmt).to.equal('#,##0.00');
        expect(ex.getCell('A2').value).to.be.instanceOf(Date);
        expect(ex.views[0]).to.include({ state: 'frozen', ySplit: 1 });
        expect(ex.getColumn(2).width).to.equal(24);
        expect((ex as any).conditionalFormattings[0].ref).to.equal('D2:D4');
        expect((ex as any).dataValidations.model['C2:C4'] ?? ex.getCell('C3').dataValidation).to.include({ type: 'list' });
        const sum = wb.getWorksheet('Summary')!;
        expect(sum.getCell('B4').value).to.deep.include({ formula: 'SUM(B2:B3)' });
        expect(sum.getTable('Budget')).to.not.equal(undefined);
        expect((wb.definedNames as any).model.map((d: { name: string }) => d.name)).to.include('CategoryTable');
        fs.writeFileSync(tmp.at('expenses.xlsx'), bytes);
    });

    it('recalculates with LibreOffice: no error cells, totals right, deliberate #REF! and missing sheets reported by cell', async () => {
        const { bytes } = await buildWorkbook({
            sheets: [
                { name: 'Data', rows: [[1], [2], [3]] },
                { name: 'Summary', rows: [['ok', '=SUM(Data!A1:A3)'], ['broken', '=#REF!*2'], ['missing', '=NoSuchSheet!A1+1'], ['div', '=1/0']] }
            ]
        });
        fs.writeFileSync(tmp.at('broken.xlsx'), bytes);
        const [good, bad] = await checkOfficeFiles([tmp.at('expenses.xlsx'), tmp.at('broken.xlsx')], {
            values: ['Summary!B2', 'Summary!B4', 'Expenses!E3', 'Summary!E4'], render: false
        });
        expect(good.workbook!.errorCells).to.deep.equal([]);
        expect(good.workbook!.formulas).to.equal(7);
        expect(good.workbook!.values['Summary!B2']).to.equal(203.5);
        expect(good.workbook!.values['Summary!B4']).to.be.closeTo(267.7, 1e-9);
        expect(good.workbook!.values['Expenses!E3']).to.equal('TRV');
        expect(good.ok, good.problems.join('\n')).to.equal(true);
        expect(bad.ok).to.equal(false);
        const byRef = Object.fromEntries(bad.workbook!.errorCells.map(e => [e.ref, e.error]));
        expect(byRef['Summary!B2']).to.equal('#REF!');
        expect(byRef['Summary!B3']).to.match(/#NAME\?|#REF!/);
        expect(byRef['Summary!B4']).to.equal('#DIV/0!');
        expect(bad.problems.some(p => p.startsWith('Summary!B2 #REF!'))).to.equal(true);
        expect(bad.workbook!.formulas).to.equal(4);
    });

    it('edits a workbook keeping what it does not touch', async () => {
        const original = new ExcelJS.Workbook();
        const keep = original.addWorksheet('Keep');
        keep.getCell('A1').value = 'untouched';
        keep.getCell('A1').font = { bold: true, color: { argb: 'FF00AA00' } };
        keep.getCell('B2').value = { formula: 'LEN(A1)' } as ExcelJS.CellFormulaValue;
        keep.mergeCells('D1:E1');
        original.addWorksheet('Edit').getCell('A1').value = 'old';
        const before = Buffer.from(await original.xlsx.writeBuffer());
        const { bytes } = await buildWorkbook({ sheets: [{ name: 'Edit', cells: { A1: 'new', B1: '=Keep!B2*2' } }, { name: 'Added', rows: [['x']] }] }, before);
        const wb = await loadWorkbook(bytes, 'edited');
        const k = wb.getWorksheet('Keep')!;
        expect(k.getCell('A1').value).to.equal('untouched');
        expect(k.getCell('A1').font).to.deep.include({ bold: true });
        expect(k.getCell('B2').value).to.deep.include({ formula: 'LEN(A1)' });
        expect(k.model.merges).to.include('D1:E1');
        expect(wb.getWorksheet('Edit')!.getCell('A1').value).to.equal('new');
        expect(wb.worksheets.map(w => w.name)).to.deep.equal(['Keep', 'Edit', 'Added']);
    });

    it('refuses to edit a workbook whose comments exceljs would drop, and leaves it unchanged', async () => {
        const original = new ExcelJS.Workbook();
        original.addWorksheet('Notes').getCell('A1').note = 'keep me';
        const before = Buffer.from(await original.xlsx.writeBuffer());
        await expectOfficeError(buildWorkbook({ sheets: [{ name: 'Notes', cells: { B1: 1 } }] }, before), /cell comments.*nothing was changed/);
    });

    it('streams large sheets and keeps their formulas', async () => {
        const rows = Array.from({ length: STREAMING_ROWS + 500 }, (_, i) => [i + 1, (i % 7) * 1.5, `=A${i + 2}*B${i + 2}`]);
        const { bytes, summary } = await buildWorkbook({ sheets: [{ name: 'Big', columns: [{ header: 'n' }, { header: 'x' }, { header: 'n*x' }], rows, freeze: { rows: 1 } }] });
        expect(summary.streamed).to.equal(true);
        expect(summary.formulas).to.equal(rows.length);
        const wb = await loadWorkbook(bytes, 'big');
        const ws = wb.getWorksheet('Big')!;
        expect(ws.rowCount).to.equal(rows.length + 1);
        expect(ws.getCell(`C${rows.length + 1}`).value).to.deep.include({ formula: `A${rows.length + 1}*B${rows.length + 1}` });
    });

    it('fills a sheet from a data file with typed cells and a formula column, streamed when large', async () => {
        const lines = ['date,region,price,qty,note'];
        for (let i = 0; i < STREAMING_ROWS + 10; i++) {
            lines.push(`2024-01-${String(1 + (i % 28)).padStart(2, '0')},${i % 2 ? 'North' : 'South'},${(i % 50) + 0.5},${i % 7},${i === 0 ? '"=cmd|calc"' : 'ok'}`);
        }
        fs.writeFileSync(tmp.at('orders.csv'), lines.join('\n') + '\n');
        const { bytes, summary } = await buildWorkbook({ sheets: [{ name: 'Orders', source: { path: tmp.at('orders.csv') }, formulaColumns: [{ header: 'total', formula: '=C{row}*D{row}', numFmt: '#,##0.00' }], freeze: { rows: 1 } }] });
        expect(summary.streamed).to.equal(true);
        expect(summary.formulas).to.equal(STREAMING_ROWS + 10);
        const ws = (await loadWorkbook(bytes, 'orders')).getWorksheet('Orders')!;
        expect(ws.getRow(1).values).to.deep.equal([undefined, 'date', 'region', 'price', 'qty', 'note', 'total']);
        expect(ws.getCell('A2').value).to.be.instanceOf(Date);
        expect(ws.getCell('C2').value).to.equal(0.5);
        expect(ws.getCell('E2').value).to.equal('=cmd|calc');
        expect(ws.getCell('F3').value).to.deep.include({ formula: 'C3*D3' });
    });

    it('refuses bad specs with the place named', async () => {
        await expectOfficeError(buildWorkbook({ sheets: [] }), /sheets/);
        await expectOfficeError(buildWorkbook({ sheets: [{ name: 'a/b' }] }), /sheets\[0\]: sheet name/);
        await expectOfficeError(buildWorkbook({ sheets: [{ name: 'S', rows: [[1, { fill: 'red' } as any]] }] }), /sheets\[0\] \("S"\)\.rows\[0\]\[1\]: colour "red"/);
        await expectOfficeError(buildWorkbook({ sheets: [{ name: 'S', cells: { 'B-7': 1 } }] }), /"B-7" is not a cell address/);
        await expectOfficeError(buildWorkbook({ sheets: [{ name: 'S' }], namedRanges: [{ name: 'X', range: 'Nope!A1' }] }), /no sheet "Nope"/);
    });
});
