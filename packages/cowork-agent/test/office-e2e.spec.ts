import { buildDocument, buildWorkbook, checkOfficeFiles, readDocument, sharedLibreOffice, svgToPng } from '@cowork/office';
import { expect } from 'chai';
import * as ExcelJS from 'exceljs';
import * as fs from 'fs';
import * as path from 'path';
import { startScriptedModelServer, text, toolUse, ScriptedModelServer } from '../src/testing';
import { cliEnv, CliRun, eventsOf, runCli, tempPlace } from './cli-harness';

/** A receipt photographed or scanned: text in a real font on white, as a PNG. */
function receiptPng(lines: string[]): Buffer {
    const body = lines.map((l, i) => `<text x="30" y="${60 + i * 44}" font-family="Liberation Mono" font-size="30" fill="#111">${l}</text>`).join('');
    return svgToPng(`<svg xmlns="http://www.w3.org/2000/svg" width="720" height="${80 + lines.length * 44}"><rect width="100%" height="100%" fill="#fff"/>${body}</svg>`, 1).png;
}

function toolResultsOf(run: CliRun, name: string): { result: string; isError: boolean }[] {
    // In the order the model asked for them: parallel calls may finish in any order.
    const finished = eventsOf(run.events, 'tool.finished');
    return eventsOf(run.events, 'tool.started').filter(e => e.name === name).map(s => finished.find(f => f.toolUseId === s.toolUseId)!)
        .map(e => ({ result: e.fullResult ?? e.result, isError: e.isError }));
}

const RECEIPTS = [
    { merchant: 'CORNER CAFE', category: 'Meals', total: 7.75 },
    { merchant: 'CITY TAXI CO', category: 'Travel', total: 42.0 },
    { merchant: 'Grand Hotel', category: 'Lodging', total: 180.0 },
    { merchant: 'Paper Shop', category: 'Supplies', total: 12.3 }
];

describe('office work end to end (real CLI, scripted model, LibreOffice)', function () {
    this.timeout(180_000);
    let place: ReturnType<typeof tempPlace>;
    let server: ScriptedModelServer | undefined;

    beforeEach(() => {
        place = tempPlace('cowork-office-e2e-');
    });
    afterEach(async () => {
        await server?.close();
        server = undefined;
        place.cleanup();
    });

    async function run(prompt: string, flags: string[] = []): Promise<CliRun> {
        const r = await runCli(['run', '--json', '--folder', place.folder, ...flags, prompt], cliEnv(server!.url, place.data));
        expect(r.code, r.stderr).to.equal(0);
        expect(eventsOf(r.events, 'task.finished')[0]).to.include({ status: 'completed' });
        return r;
    }

    it('turns a folder of receipts (pictures, a PDF, a text file) into an expense workbook with live formulas', async () => {
        const dir = path.join(place.folder, 'receipts');
        fs.mkdirSync(dir);
        fs.writeFileSync(path.join(dir, 'cafe.png'), receiptPng(['CORNER CAFE', '2024-03-05', 'Coffee        4.50', 'Bagel         3.25', 'TOTAL         7.75']));
        fs.writeFileSync(path.join(dir, 'taxi.png'), receiptPng(['CITY TAXI CO', '2024-03-06', 'Airport ride', 'TOTAL        42.00']));
        const hotel = await buildDocument({ markdown: '# Grand Hotel\n\nDate: 2024-03-06\n\n2 nights, room 412\n\n**TOTAL 180.00**\n' });
        fs.writeFileSync(path.join(place.root, 'hotel.docx'), hotel.bytes);
        await sharedLibreOffice().convert([path.join(place.root, 'hotel.docx')], 'pdf', dir);
        fs.writeFileSync(path.join(dir, 'paper.txt'), 'Paper Shop\n2024-03-07\nPrinter paper\nTOTAL 12.30\n');
        const book = path.join(place.folder, 'expenses.xlsx');
        const categories = ['Meals', 'Travel', 'Lodging', 'Supplies'];

        server = await startScriptedModelServer([
            toolUse('Glob', { pattern: 'receipts/*', path: place.folder }),
            (_req, ctx) => ctx.toolResults[0].text.split('\n').filter(Boolean).map(f => toolUse('ReadDocument', { file_path: f })),
            (_req, ctx) => {
                const rows = ctx.toolResults.map((r, i) => {
                    const found = RECEIPTS.find(x => r.text.toLowerCase().includes(x.merchant.toLowerCase()))!;
                    const total = Number(/TOTAL\W+([\d.]+)/i.exec(r.text)![1]);
                    const date = /\d{4}-\d{2}-\d{2}/.exec(r.text)![0];
                    return [{ date }, found.merchant, found.category, total, `=VLOOKUP(C${i + 2},CategoryTable,2,FALSE)`];
                });
                const last = rows.length + 1;
                return toolUse('Spreadsheet', {
                    file_path: book,
                    sheets: [
                        {
                            name: 'Data', columns: [{ header: 'Date', numFmt: 'yyyy-mm-dd', width: 12 }, { header: 'Merchant', width: 18 }, { header: 'Category', width: 12 }, { header: 'Amount', numFmt: '#,##0.00' }, { header: 'Code' }],
                            rows, freeze: { rows: 1 },
                            conditionalFormats: [{ range: `D2:D${last}`, rule: 'greaterThan', values: [100], fill: '#FFC7CE' }],
                            validations: [{ range: `C2:C${last}`, type: 'list', source: 'Categories!$A$2:$A$5' }]
                        },
                        { name: 'Categories', rows: [['Category', 'Code'], ...categories.map(c => [c, c.slice(0, 3).toUpperCase()])] },
                        {
                            name: 'Summary', columns: [{ header: 'Category', width: 14 }, { header: 'Total', numFmt: '#,##0.00' }],
                            rows: [...categories.map((c, i) => [c, `=SUMIF(Data!$C$2:$C$${last},A${i + 2},Data!$D$2:$D$${last})`]), ['All', '=SUM(B2:B5)'], ['Check', `=SUM(Data!D2:D${last})-B6`]]
                        }
                    ],
                    namedRanges: [{ name: 'CategoryTable', range: 'Categories!$A$2:$B$5' }]
                });
            },
            toolUse('CheckOffice', { file_paths: [book], values: ['Summary!B6', 'Summary!B7', 'Data!E2'], pictures: 1 }),
            (_req, ctx) => text(`Done. ${ctx.toolResults[0].text.split('\n')[0]}`)
        ]);
        const r = await run('Make an expense report workbook from my receipts');

        const reads = toolResultsOf(r, 'ReadDocument');
        expect(reads).to.have.length(4);
        expect(reads.every(x => !x.isError), JSON.stringify(reads)).to.equal(true);
        const check = toolResultsOf(r, 'CheckOffice')[0];
        expect(check.isError).to.equal(false);
        expect(check.result).to.include('error cells after LibreOffice recalculation: 0').and.include('All checks passed');
        expect(eventsOf(r.events, 'file.changed')).to.deep.include({ ...eventsOf(r.events, 'file.changed')[0], path: fs.realpathSync(book), change: 'created' });

        // An independent look: LibreOffice recalculates the saved file; the totals equal the receipts'.
        const [report] = await checkOfficeFiles([book], { values: ['Summary!B6', 'Summary!B7', 'Summary!B3', 'Data!E3'], render: false });
        expect(report.workbook!.errorCells).to.deep.equal([]);
        const sum = RECEIPTS.reduce((a, x) => a + x.total, 0);
        expect(report.workbook!.values['Summary!B6']).to.be.closeTo(sum, 1e-9);
        expect(report.workbook!.values['Summary!B7']).to.be.closeTo(0, 1e-9);
        expect(report.workbook!.values['Summary!B3']).to.equal(42);
        const wb = new ExcelJS.Workbook();
        await wb.xlsx.readFile(book);
        const data = wb.getWorksheet('Data')!;
        expect(data.getCell('E2').formula).to.equal('VLOOKUP(C2,CategoryTable,2,FALSE)');
        expect(wb.getWorksheet('Summary')!.getCell('B2').formula).to.match(/^SUMIF\(/);
        expect((data as any).conditionalFormattings[0].rules[0]).to.include({ type: 'cellIs', operator: 'greaterThan' });
    });

    it('turns rough meeting notes into a 6-slide deck with a chart, checked: 6 slides, titles as written, nothing off the page', async () => {
        const notes = path.join(place.folder, 'notes.txt');
        fs.writeFileSync(notes, 'Q3 planning 12/3\n- beta in May, 50 customers first\n- hire 2 engineers\n- signups jan 120 feb 150 mar 210\nrisks: SSO late -> start now\nowners: Ana beta, Bo hiring\n');
        const deck = path.join(place.folder, 'q3-planning.pptx');
        const titles = ['Q3 Planning', 'Decisions', 'What we agreed', 'Signups are growing', 'Risks and answers', 'Owners'];
        server = await startScriptedModelServer([
            toolUse('ReadDocument', { file_path: notes }),
            toolUse('Deck', {
                file_path: deck, title: 'Q3 Planning', slides: [
                    { layout: 'title', title: titles[0], subtitle: 'Meeting of 12 March', notes: 'Thank everyone for coming' },
                    { layout: 'section', title: titles[1] },
                    { layout: 'content', title: titles[2], bullets: ['Ship the beta in May', { text: '50 customers first', level: 1 }, 'Hire two engineers'] },
                    { layout: 'chart', title: titles[3], chart: { type: 'column', categories: ['Jan', 'Feb', 'Mar'], series: [{ name: 'Signups', values: [120, 150, 210] }], showValues: true } },
                    { layout: 'twoColumn', title: titles[4], leftTitle: 'Risk', rightTitle: 'Answer', left: ['SSO may be late'], right: ['Start SSO work now'] },
                    { layout: 'table', title: titles[5], header: ['Owner', 'Item'], rows: [['Ana', 'Beta'], ['Bo', 'Hiring']] }
                ]
            }),
            toolUse('CheckOffice', { file_paths: [deck], pictures: 0 }),
            text('The deck is ready.')
        ]);
        const r = await run('Make a deck from notes.txt');
        const made = toolResultsOf(r, 'Deck')[0];
        expect(made.isError, made.result).to.equal(false);
        expect(made.result).to.include('6 slides');
        const check = toolResultsOf(r, 'CheckOffice')[0];
        expect(check.result, check.result).to.include('rendered: 6 slide(s)').and.include('text off the page: 0').and.include('All checks passed');
        const read = await readDocument(deck);
        titles.forEach((t, i) => expect(read.text).to.include(`## Slide ${i + 1}: ${t}`));
        expect(read.text).to.include('Notes: Thank everyone for coming');
    });

    it('turns an interview transcript into a report document with headings, an action-item table and a chart picture', async () => {
        const transcript = path.join(place.folder, 'interview.txt');
        fs.writeFileSync(transcript, 'Q: How did the pilot go?\nA (Ana): Good. 40 of 50 users stayed active.\nQ: What next?\nA: Bo fixes login by May 3; Ana ships beta May 1.\n');
        const chart = path.join(place.folder, 'active-users.png');
        const doc = path.join(place.folder, 'interview-report.docx');
        server = await startScriptedModelServer([
            toolUse('ReadDocument', { file_path: transcript }),
            toolUse('Chart', { file_path: chart, type: 'bar', title: 'Pilot users', data: [{ status: 'Active', users: 40 }, { status: 'Inactive', users: 10 }], x: 'status', y: 'users' }),
            toolUse('Document', {
                file_path: doc, title: 'Pilot interview', header: 'Internal', footer: 'Page {page} of {pages}',
                markdown: '# Summary\n\nAna reports the pilot went **well**: 40 of 50 users stayed active.\n\n![Pilot users](active-users.png)\n\n'
                    + '# Action items\n\n| Owner | Action | Due |\n|---|---|---|\n| Bo | Fix login | 2024-05-03 |\n| Ana | Ship beta | 2024-05-01 |\n'
            }),
            toolUse('CheckOffice', { file_paths: [doc] }),
            text('Report written.')
        ]);
        const r = await run('Write a report from the interview');
        const chartResult = toolResultsOf(r, 'Chart')[0];
        expect(chartResult.isError, chartResult.result).to.equal(false);
        expect(fs.readFileSync(chart).subarray(1, 4).toString()).to.equal('PNG');
        const check = toolResultsOf(r, 'CheckOffice')[0];
        expect(check.result).to.include('All checks passed');
        const [rendered] = await checkOfficeFiles([doc], { pngPages: 0, validate: false });
        expect(rendered.render!.text).to.include('Summary').and.include('Action items').and.include('Fix login').and.include('Page 1 of');
        const read = await readDocument(doc);
        expect(read.text).to.include('# Summary').and.include('| Bo | Fix login | 2024-05-03 |');
        expect(read.facts).to.include({ tables: 1, pictures: 1 });
    });

    it('cross-tabulates a sales CSV, finds its outliers and draws a chart picture', async () => {
        const csv = path.join(place.folder, 'sales.csv');
        const lines = ['date,region,product,amount'];
        for (let i = 0; i < 36; i++) {
            lines.push(`2024-0${1 + (i % 3)}-${String(1 + i).padStart(2, '0').slice(-2).replace(/^3[2-9]/, '28')},${['North', 'South', 'East'][i % 3]},${['A', 'B'][i % 2]},${i === 10 ? 1200 : 100 + (i % 5) * 10}`);
        }
        fs.writeFileSync(csv, lines.join('\n') + '\n');
        const png = path.join(place.folder, 'sales-by-region.png');
        server = await startScriptedModelServer([
            [toolUse('AnalyzeData', { sources: [{ path: csv }], crosstab: { table: 'sales', rows: 'region', columns: 'product', value: 'amount', agg: 'sum' } }),
                toolUse('AnalyzeData', { sources: [{ path: csv }], outliers: { table: 'sales', column: 'amount' } })],
            (_req, ctx) => {
                const rows = ctx.toolResults[0].text.split('\n').filter(l => /^\| (North|South|East) \|/.test(l)).map(l => l.split('|').map(s => s.trim()).filter(Boolean));
                const data = rows.flatMap(([region, a, b]) => [{ region, product: 'A', amount: Number(a) }, { region, product: 'B', amount: Number(b) }]);
                return toolUse('Chart', { file_path: png, type: 'bar', title: 'Sales by region and product', data, x: 'region', y: 'amount', series: 'product', yTitle: 'Sales' });
            },
            text('Done.')
        ]);
        const r = await run('Analyse sales.csv');
        const [crosstab, outliers] = toolResultsOf(r, 'AnalyzeData');
        expect(crosstab.result).to.include('| region | A | B |').and.match(/\| East \| \d+ \| \d+ \|/);
        expect(outliers.result).to.include('Result: 1 row(s)').and.include('| 1200 |');
        const chart = toolResultsOf(r, 'Chart')[0];
        expect(chart.isError, chart.result).to.equal(false);
        const bytes = fs.readFileSync(png);
        expect(bytes.readUInt32BE(16)).to.be.greaterThan(800);
        fs.mkdirSync(path.resolve(__dirname, '../../../../test-artifacts'), { recursive: true });
        fs.copyFileSync(png, path.resolve(__dirname, '../../../../test-artifacts/office-e2e-sales-chart.png'));
    });

    it('answers broken inputs with clear messages and refuses to overwrite without permission', async () => {
        const good = await buildWorkbook({ sheets: [{ name: 'S', rows: [[1]] }] });
        const locked = path.join(place.folder, 'locked.xlsx');
        // A real password-protected workbook: an OLE2 container holding an EncryptedPackage stream.
        // eslint-disable-next-line @typescript-eslint/no-var-requires
        const officeCrypto = require(require.resolve('officecrypto-tool', { paths: [path.resolve(__dirname, '../../../cowork-office')] }));
        fs.writeFileSync(locked, await officeCrypto.encrypt(good.bytes, { password: 'pw' }));
        const corrupt = path.join(place.folder, 'corrupt.xlsx');
        fs.writeFileSync(corrupt, good.bytes.subarray(0, 200));
        const empty = path.join(place.folder, 'empty.csv');
        fs.writeFileSync(empty, '');
        const scanDocx = path.join(place.root, 'scan.docx');
        fs.writeFileSync(path.join(place.root, 'receipt.png'), receiptPng(['NO TEXT LAYER', 'TOTAL 9.99']));
        fs.writeFileSync(scanDocx, (await buildDocument({ blocks: [{ type: 'image', path: 'receipt.png' }] }, { loadImage: async p => fs.readFileSync(path.join(place.root, p)) })).bytes);
        await sharedLibreOffice().convert([scanDocx], 'pdf', place.folder);
        const scan = path.join(place.folder, 'scan.pdf');
        const broken = path.join(place.folder, 'broken.xlsx');
        const existing = path.join(place.folder, 'existing.xlsx');
        fs.writeFileSync(existing, good.bytes);
        server = await startScriptedModelServer([
            [toolUse('ReadDocument', { file_path: locked }), toolUse('ReadDocument', { file_path: corrupt }), toolUse('ReadDocument', { file_path: scan }),
                toolUse('AnalyzeData', { sources: [{ path: empty }] }), toolUse('ReadDocument', { file_path: path.join(place.folder, 'nope.pdf') })],
            toolUse('Spreadsheet', { file_path: broken, sheets: [{ name: 'Data', rows: [[10], [20]] }, { name: 'Summary', rows: [['Total', '=SUM(Data!A1:A2)'], ['Bad', '=#REF!+1']] }] }),
            [toolUse('CheckOffice', { file_paths: [broken], pictures: 0 }), toolUse('Spreadsheet', { file_path: existing, mode: 'create', sheets: [{ name: 'S', rows: [[2]] }] })],
            text('Reported the problems.')
        ]);
        const r = await run('Look at these files');
        const reads = toolResultsOf(r, 'ReadDocument');
        expect(reads[0]).to.deep.equal({ isError: true, result: 'locked.xlsx is password-protected (encrypted); it cannot be opened without the password. Ask the user for an unprotected copy' });
        expect(reads[1].isError).to.equal(true);
        expect(reads[1].result).to.match(/^corrupt\.xlsx could not be read as a workbook; it looks corrupt/);
        expect(reads[2].isError).to.equal(false);
        expect(reads[2].result).to.include('has no text layer').and.match(/TOTAL 9\.99/);
        expect(reads[3]).to.deep.include({ isError: true });
        expect(reads[3].result).to.match(/does not exist/);
        expect(toolResultsOf(r, 'AnalyzeData')[0]).to.deep.equal({ isError: true, result: 'empty.csv is empty: it has no header and no rows' });
        const check = toolResultsOf(r, 'CheckOffice')[0];
        expect(check.result).to.include('Summary!B2 #REF!').and.include('formulas: 2');
        const overwrite = toolResultsOf(r, 'Spreadsheet')[1];
        expect(overwrite.isError).to.equal(true);
        expect(overwrite.result).to.match(/Overwriting .*existing\.xlsx.*was not allowed; the file is unchanged/);
        expect(fs.readFileSync(existing).equals(good.bytes)).to.equal(true);
        expect(eventsOf(r.events, 'permission.requested')[0]).to.deep.include({ tool: 'Spreadsheet', action: 'overwrite' });
        for (const e of eventsOf(r.events, 'tool.finished')) {
            expect(e.result).to.not.match(/\n\s+at .*\(.*:\d+:\d+\)/);
        }
    });
});
