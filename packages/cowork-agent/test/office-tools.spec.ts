import { expect } from 'chai';
import * as fs from 'fs';
import * as path from 'path';
import { ToolRegistry } from '../src/tool-registry';
import { createOfficeTools } from '../src/tools/office';
import { makeToolBed, ToolBed } from './tool-context';

describe('office tools: grants, permission gate and change journal', function () {
    this.timeout(60_000);
    let bed: ToolBed;
    const registry = new ToolRegistry(createOfficeTools());
    const tool = (name: string) => registry.get(name)!;

    beforeEach(() => {
        bed = makeToolBed();
    });
    afterEach(() => bed.cleanup());

    it('offers seven tools whose schemas compile and accept their documented inputs', () => {
        expect(registry.names()).to.deep.equal(['ReadDocument', 'AnalyzeData', 'Spreadsheet', 'Document', 'Deck', 'Chart', 'CheckOffice']);
        expect(registry.validate('Spreadsheet', { file_path: '/x.xlsx', sheets: [{ name: 'S', rows: [[1, '=A1*2', { formula: 'SUM(A1:B1)', bold: true }, { date: '2024-01-01' }, null]] }] })).to.equal(undefined);
        expect(registry.validate('Spreadsheet', { file_path: '/x.xlsx', sheets: [{ name: 'S', rows: [[{ colour: 'red' }]] }] })).to.match(/Invalid input for Spreadsheet/);
        expect(registry.validate('Deck', { file_path: '/d.pptx', slides: [{ layout: 'content', title: 'T', bullets: ['a', { text: 'b', level: 1 }] }] })).to.equal(undefined);
        expect(registry.validate('Chart', { file_path: '/c.png', type: 'bar', data: [{ a: 1 }], x: 'a', y: 'a' })).to.equal(undefined);
        for (const t of registry.list()) {
            expect(t.description.length, t.name).to.be.greaterThan(200);
        }
    });

    it('writes a workbook through the journal, emits file.changed, and undo removes it', async () => {
        const file = bed.at('out', 'book.xlsx');
        const res = await tool('Spreadsheet').run({ file_path: file, sheets: [{ name: 'S', rows: [[1], [2], ['=SUM(A1:A2)']] }] }, bed.ctx());
        expect(res.isError).to.not.equal(true);
        expect(res.content).to.match(/Created .*book\.xlsx: S \(3 rows, 1 formulas\)/);
        expect(bed.eventsOf('file.changed')).to.have.length(1);
        expect(bed.eventsOf('file.changed')[0]).to.include({ path: file, change: 'created' });
        expect(bed.journal.entries()[0]).to.include({ op: 'create', path: file, tool: 'Spreadsheet' });
        await bed.journal.undo();
        expect(fs.existsSync(file)).to.equal(false);
    });

    it('fills a sheet from a data file in the grants, never from one outside', async () => {
        fs.writeFileSync(bed.at('orders.csv'), 'item,price,qty\nA,2.5,4\nB,10,3\n');
        const res = await tool('Spreadsheet').run({ file_path: bed.at('orders.xlsx'), sheets: [{ name: 'Orders', source: { path: bed.at('orders.csv') }, formulaColumns: [{ header: 'total', formula: '=B{row}*C{row}' }] }] }, bed.ctx());
        expect(res.content).to.match(/Orders \(3 rows, 2 formulas\)/);
        fs.writeFileSync(path.join(bed.outside, 'secret.csv'), 'a\n1\n');
        const refused = await tool('Spreadsheet').run({ file_path: bed.at('leak.xlsx'), sheets: [{ name: 'S', source: { path: path.join(bed.outside, 'secret.csv') } }] }, bed.ctx());
        expect(refused.isError).to.equal(true);
        expect(refused.content).to.match(/outside the granted folders/);
        expect(fs.existsSync(bed.at('leak.xlsx'))).to.equal(false);
    });

    it('asks before replacing a file the task did not create, and leaves it alone when denied', async () => {
        const file = bed.at('existing.xlsx');
        await tool('Spreadsheet').run({ file_path: file, sheets: [{ name: 'S', rows: [[1]] }] }, bed.ctx());
        const other = makeToolBed();
        try {
            fs.copyFileSync(file, other.at('existing.xlsx'));
            const before = fs.readFileSync(other.at('existing.xlsx'));
            other.answer = { allowed: false, by: 'user' };
            const res = await tool('Spreadsheet').run({ file_path: other.at('existing.xlsx'), sheets: [{ name: 'S', cells: { B1: 2 } }] }, other.ctx());
            expect(res.isError).to.equal(true);
            expect(res.content).to.match(/was not allowed; the file is unchanged/);
            expect(other.asked[0]).to.deep.include({ tool: 'Spreadsheet', action: 'overwrite' });
            expect(fs.readFileSync(other.at('existing.xlsx')).equals(before)).to.equal(true);
            other.answer = { allowed: true, by: 'user' };
            const ok = await tool('Spreadsheet').run({ file_path: other.at('existing.xlsx'), sheets: [{ name: 'S', cells: { B1: 2 } }] }, other.ctx());
            expect(ok.content).to.match(/^Updated /);
            expect(other.journal.entries()[0]).to.include({ op: 'modify' });
        } finally {
            other.cleanup();
        }
    });

    it('reads nothing outside the grants and writes nothing into a read-only grant', async () => {
        fs.writeFileSync(path.join(bed.outside, 'secret.csv'), 'a,b\n1,2\n');
        const read = await tool('ReadDocument').run({ file_path: path.join(bed.outside, 'secret.csv') }, bed.ctx());
        expect(read.isError).to.equal(true);
        expect(read.content).to.match(/outside the granted folders/);
        const data = await tool('AnalyzeData').run({ sources: [{ path: path.join(bed.outside, 'secret.csv') }] }, bed.ctx());
        expect(data.content).to.match(/outside the granted folders/);
        fs.symlinkSync(path.join(bed.outside, 'secret.csv'), bed.at('link.csv'));
        const viaLink = await tool('ReadDocument').run({ file_path: bed.at('link.csv') }, bed.ctx());
        expect(viaLink.isError).to.equal(true);
        const ro = makeToolBed({ extraGrants: [{ name: 'ro', mode: 'ro' }] });
        try {
            const res = await tool('Chart').run({ file_path: path.join(ro.root, 'ro', 'c.png'), data: [{ a: 'x', b: 1 }], x: 'a', y: 'b' }, ro.ctx());
            expect(res.isError).to.equal(true);
            expect(res.content).to.match(/read-only grant/);
        } finally {
            ro.cleanup();
        }
    });

    it('returns the chart picture to the model and reads documents it made', async () => {
        const res = await tool('Chart').run({ file_path: bed.at('c.png'), type: 'line', data: [{ m: '2024-01', v: 1 }, { m: '2024-02', v: 3 }], x: 'm', y: 'v' }, bed.ctx());
        const blocks = res.content as { type: string }[];
        expect(blocks.map(b => b.type)).to.deep.equal(['text', 'image']);
        await tool('Document').run({ file_path: bed.at('r.docx'), markdown: '# Title\n\n![chart](c.png)\n\n- one\n- two' }, bed.ctx());
        const read = await tool('ReadDocument').run({ file_path: bed.at('r.docx') }, bed.ctx());
        expect(read.content).to.include('# Title').and.include('- one').and.include('pictures: 1');
        const bad = await tool('Document').run({ file_path: bed.at('r.pdf'), markdown: 'x' }, bed.ctx());
        expect(bad).to.deep.equal({ content: 'A document must be saved as .docx; "r.pdf" has ".pdf"', isError: true });
    });
});
