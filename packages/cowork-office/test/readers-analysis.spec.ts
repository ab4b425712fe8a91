import { expect } from 'chai';
import * as fs from 'fs';
import { analyzeData, formatAnalysis } from '../src/data-analysis';
import { buildDocument } from '../src/document-writer';
import { sharedLibreOffice } from '../src/libre-office';
import { readDocument } from '../src/readers/read-document';
import { buildWorkbook } from '../src/spreadsheet-writer';
import { expectOfficeError, receiptPng, tempDir } from './fixtures';
// No type declarations ship with it; it is only used to make a real password-protected file.
// eslint-disable-next-line @typescript-eslint/no-var-requires
const officeCrypto = require('officecrypto-tool') as { encrypt(b: Buffer, o: { password: string }): Promise<Buffer> };

describe('Readers and data analysis', function () {
    this.timeout(180_000);
    const tmp = tempDir();

    before(async () => {
        fs.writeFileSync(tmp.at('receipt.png'), receiptPng(['CORNER CAFE', '2024-03-05', 'Coffee        4.50', 'Bagel         3.25', 'TOTAL         7.75']));
        const text = await buildDocument({ markdown: '# Invoice 42\n\nAmount due: 199.00 EUR\n' });
        fs.writeFileSync(tmp.at('invoice.docx'), text.bytes);
        // A "scan": a page holding only a picture of text, so its PDF has no text layer.
        const scan = await buildDocument({ blocks: [{ type: 'image', path: 'receipt.png' }] }, { loadImage: async p => fs.readFileSync(tmp.at(p)) });
        fs.writeFileSync(tmp.at('scan.docx'), scan.bytes);
        await sharedLibreOffice().convert([tmp.at('invoice.docx'), tmp.at('scan.docx')], 'pdf', tmp.dir);
        const book = await buildWorkbook({ sheets: [{ name: 'Sales', columns: [{ header: 'Region' }, { header: 'Amount' }], rows: [['North', 10], ['South', 20]] }] });
        fs.writeFileSync(tmp.at('book.xlsx'), book.bytes);
        fs.writeFileSync(tmp.at('locked.xlsx'), await officeCrypto.encrypt(book.bytes, { password: 'secret' }));
        fs.writeFileSync(tmp.at('corrupt.xlsx'), book.bytes.subarray(0, Math.floor(book.bytes.length / 2)));
        fs.writeFileSync(tmp.at('empty.csv'), '');
        fs.writeFileSync(tmp.at('header-only.csv'), 'date,region,amount\n');
        const rows = ['date,region,product,amount'];
        for (let i = 0; i < 48; i++) {
            rows.push(`2024-${String(1 + (i % 4)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')},${['North', 'South', 'East'][i % 3]},${['A', 'B'][i % 2]},${i === 29 ? 990 : 100 + ((i * 7) % 21) - 10}`);
        }
        fs.writeFileSync(tmp.at('sales.csv'), rows.join('\n') + '\n');
    });
    after(() => tmp.cleanup());

    it('reads a PDF text layer', async () => {
        const doc = await readDocument(tmp.at('invoice.pdf'));
        expect(doc.kind).to.equal('pdf');
        expect(doc.text).to.include('Invoice 42').and.include('199.00 EUR');
        expect(doc.facts.pages).to.equal(1);
    });

    it('OCRs a PDF with no text layer, and says so', async () => {
        const doc = await readDocument(tmp.at('scan.pdf'));
        expect(doc.notes.join()).to.match(/no text layer/);
        expect(doc.text).to.match(/TOTAL\s+7\.75/);
    });

    it('reads a receipt picture by OCR', async () => {
        const doc = await readDocument(tmp.at('receipt.png'));
        expect(doc.kind).to.equal('image');
        expect(doc.text).to.include('CORNER CAFE').and.match(/Coffee\s+4\.50/).and.match(/TOTAL\s+7\.75/);
    });

    it('reads a workbook with formulas and a CSV with its shape', async () => {
        const x = await readDocument(tmp.at('book.xlsx'));
        expect(x.text).to.include('Sheet "Sales"').and.include('North | 10');
        const c = await readDocument(tmp.at('sales.csv'));
        expect(c.facts).to.include({ rows: 48, columns: 4, delimiter: ',' });
    });

    it('reads legacy and OpenDocument files through LibreOffice', async () => {
        await sharedLibreOffice().convert([tmp.at('book.xlsx')], 'xls', tmp.dir);
        await sharedLibreOffice().convert([tmp.at('invoice.docx')], 'odt', tmp.dir);
        const xls = await readDocument(tmp.at('book.xls'));
        expect(xls.kind).to.equal('xlsx');
        expect(xls.text).to.include('North | 10');
        expect(xls.notes[0]).to.match(/xls file read through LibreOffice/);
        const odt = await readDocument(tmp.at('invoice.odt'));
        expect(odt.text).to.include('Invoice 42');
    });

    it('gives clear messages for protected, corrupt, empty and unknown files', async () => {
        await expectOfficeError(readDocument(tmp.at('locked.xlsx')), /locked\.xlsx is password-protected/);
        await expectOfficeError(readDocument(tmp.at('corrupt.xlsx')), /corrupt\.xlsx could not be read as a workbook; it looks corrupt/);
        await expectOfficeError(readDocument(tmp.at('empty.csv')), /empty\.csv is empty/);
        await expectOfficeError(readDocument(tmp.at('missing.pdf')), /does not exist/);
        fs.writeFileSync(tmp.at('fake.pdf'), 'not a pdf at all');
        await expectOfficeError(readDocument(tmp.at('fake.pdf')), /fake\.pdf is not a PDF/);
        await expectOfficeError(analyzeData({ sources: [{ path: tmp.at('empty.csv') }] }), /empty\.csv is empty/);
        await expectOfficeError(analyzeData({ sources: [{ path: tmp.at('locked.xlsx') }] }), /password-protected/);
    });

    it('cross-tabulates, finds outliers and builds a time series with DuckDB', async () => {
        const src = [{ path: tmp.at('sales.csv') }];
        const ct = await analyzeData({ sources: src, crosstab: { table: 'sales', rows: 'region', columns: 'product', value: 'amount', agg: 'count' } });
        expect(ct.tables[0]).to.deep.include({ name: 'sales', rows: 48 });
        expect(ct.result!.columns).to.deep.equal(['region', 'A', 'B']);
        expect(ct.result!.rows.map(r => Number(r[1]) + Number(r[2]))).to.deep.equal([16, 16, 16]);
        const out = await analyzeData({ sources: src, outliers: { table: 'sales', column: 'amount' } });
        expect(out.result!.rowCount).to.equal(1);
        expect(out.result!.rows[0][3]).to.equal(990);
        const ts = await analyzeData({ sources: src, timeseries: { table: 'sales', date: 'date', value: 'amount', interval: 'month' } });
        expect(ts.result!.rows.map(r => r[0])).to.deep.equal(['2024-01-01', '2024-02-01', '2024-03-01', '2024-04-01']);
        expect(ts.result!.columns).to.include('moving_avg_3');
        const sql = await analyzeData({ sources: src, sql: 'SELECT region, sum(amount) AS total FROM sales GROUP BY region ORDER BY total DESC' });
        expect(formatAnalysis(sql)).to.include('| region | total |');
    });

    it('recalculates a workbook saved without formula results before querying it', async () => {
        const book = await buildWorkbook({ sheets: [{ name: 'T', columns: [{ header: 'a' }, { header: 'b' }, { header: 'diff' }], rows: [[5, 2, '=A2-B2'], [3, 3, '=A3-B3'], [1, 4, '=A4-B4']] }] });
        fs.writeFileSync(tmp.at('calc.xlsx'), book.bytes);
        const r = await analyzeData({ sources: [{ path: tmp.at('calc.xlsx'), table: 't' }], sql: 'SELECT diff FROM t ORDER BY a DESC' });
        expect(r.result!.rows.map(x => Number(x[0]))).to.deep.equal([3, 0, -3]);
        expect(r.notes.join()).to.match(/3 formula\(s\) had no saved results; LibreOffice recalculated/);
    });

    it('queries workbook sheets and header-only CSVs', async () => {
        const r = await analyzeData({ sources: [{ path: tmp.at('book.xlsx') }, { path: tmp.at('header-only.csv'), table: 'h' }], sql: 'SELECT (SELECT sum(Amount) FROM book_sales) AS s, (SELECT count(*) FROM h) AS n' });
        expect(r.result!.rows[0].map(Number)).to.deep.equal([30, 0]);
    });

    it('lets SQL read only the loaded tables: no other files, no writing', async () => {
        await expectOfficeError(analyzeData({ sources: [{ path: tmp.at('sales.csv') }], sql: `SELECT * FROM read_csv('/etc/passwd')` }), /file system operations are disabled/);
        await expectOfficeError(analyzeData({ sources: [{ path: tmp.at('sales.csv') }], sql: `COPY sales TO '${tmp.at('leak.csv')}'` }), /disabled/);
        expect(fs.existsSync(tmp.at('leak.csv'))).to.equal(false);
        await expectOfficeError(analyzeData({ sources: [{ path: tmp.at('sales.csv') }], sql: 'SET enable_external_access = true' }), /query failed/);
    });
});
