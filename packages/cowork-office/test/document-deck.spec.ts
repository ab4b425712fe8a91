import { expect } from 'chai';
import * as fs from 'fs';
import PptxGenJS from 'pptxgenjs';
import { renderChartPng, renderChartSvg } from '../src/chart-renderer';
import { buildDeck } from '../src/deck-writer';
import { buildDocument } from '../src/document-writer';
import { checkOfficeFiles, CheckReport } from '../src/office-check';
import { readDocument } from '../src/readers/read-document';
import { textWidth, wrapText } from '../src/text-fit';
import { expectOfficeError, tempDir } from './fixtures';

const sales = [
    { month: '2024-01', region: 'North', sales: 120 }, { month: '2024-01', region: 'South', sales: 90 },
    { month: '2024-02', region: 'North', sales: 150 }, { month: '2024-02', region: 'South', sales: 70 }
];

describe('Charts, documents and decks rendered by LibreOffice', function () {
    this.timeout(180_000);
    const tmp = tempDir();
    let report: Record<string, CheckReport>;
    let deckSummary: { slides: number; adjustments: string[] };
    let longDeckSummary: { slides: number; adjustments: string[] };

    before(async () => {
        const chart = await renderChartPng({ type: 'bar', title: 'Sales by region', data: sales, x: 'region', y: 'sales', series: 'month' });
        fs.writeFileSync(tmp.at('chart.png'), chart.png);
        const loadImage = async (p: string) => fs.readFileSync(tmp.at(p));
        const doc = await buildDocument({
            title: 'Interview report', toc: true, header: 'Confidential', footer: 'Page {page} of {pages}',
            markdown: '# Summary\n\nAna said the **rollout** went *well*.\n\n## Action items\n\n| Owner | Action | Due |\n|---|---|---|\n| Ana | Ship beta | 2024-05-01 |\n| Bo | Fix login | 2024-05-03 |\n\n'
                + '1. First\n2. Second\n   - nested\n\n![Sales chart](chart.png)\n',
            blocks: [{ type: 'heading', level: 2, text: 'Trend' }, { type: 'chart', chart: { type: 'line', data: sales, x: 'month', y: 'sales', series: 'region' }, caption: 'Monthly sales' }]
        }, { loadImage });
        expect(doc.summary).to.deep.include({ tables: 1, images: 2 });
        fs.writeFileSync(tmp.at('report.docx'), doc.bytes);
        const deck = await buildDeck({
            title: 'Planning', slides: [
                { layout: 'title', title: 'Q3 Planning', subtitle: 'From the meeting of 12 March', notes: 'Welcome' },
                { layout: 'section', title: 'Decisions' },
                { layout: 'content', title: 'What we decided', bullets: ['Ship the beta in May', { text: 'to 50 customers first', level: 1 }, 'Hire two engineers'] },
                { layout: 'twoColumn', title: 'Risks and answers', leftTitle: 'Risks', rightTitle: 'Answers', left: ['SSO is late'], right: ['Start SSO now'] },
                { layout: 'chart', title: 'Sales by month', chart: { type: 'column', data: sales, x: 'month', y: 'sales', seriesField: 'region' } },
                { layout: 'table', title: 'Owners', header: ['Who', 'What'], rows: [['Ana', 'Beta'], ['Bo', 'Hiring']], notes: 'Ask Bo about dates' }
            ]
        }, { loadImage });
        deckSummary = deck.summary;
        fs.writeFileSync(tmp.at('deck.pptx'), deck.bytes);
        const long = await buildDeck({ slides: [{ layout: 'content', title: 'Everything', bullets: Array.from({ length: 16 }, (_, i) => `Point ${i + 1}: a long sentence explaining one of the many things that were discussed at length`) }] });
        longDeckSummary = long.summary;
        fs.writeFileSync(tmp.at('long.pptx'), long.bytes);
        // The same overflow written straight with pptxgenjs, without fitting: Check must catch it.
        const raw = new PptxGenJS();
        raw.layout = 'LAYOUT_16x9';
        const s = raw.addSlide();
        s.addText(Array.from({ length: 18 }, (_, i) => ({ text: `Overflowing bullet line number ${i}`, options: { bullet: true, breakLine: true } })), { x: 0.5, y: 1, w: 9, h: 3, fontSize: 24, valign: 'top' });
        s.addText('Footer text here', { x: 0.5, y: 4.6, w: 9, h: 0.5, fontSize: 16 });
        fs.writeFileSync(tmp.at('raw.pptx'), await raw.write({ outputType: 'nodebuffer' }) as Buffer);
        const reports = await checkOfficeFiles(['report.docx', 'deck.pptx', 'long.pptx', 'raw.pptx'].map(tmp.at), { outDir: tmp.at('out'), pngPages: 2 });
        report = Object.fromEntries(reports.map(r => [r.file.split('/').pop()!, r]));
    });
    after(() => tmp.cleanup());

    it('draws charts offline as SVG and PNG', async () => {
        const svg = await renderChartSvg({ type: 'pie', title: 'Share', data: sales, x: 'region', y: 'sales' });
        expect(svg).to.match(/^<svg/).and.to.include('Share');
        const png = fs.readFileSync(tmp.at('chart.png'));
        expect(png.subarray(1, 4).toString()).to.equal('PNG');
        expect(png.readUInt32BE(16)).to.be.greaterThan(600);
        await expectOfficeError(renderChartSvg({ data: sales, x: 'month', y: 'revenue' }), /"revenue" is in none of the data rows/);
        await expectOfficeError(renderChartSvg({ data: [], x: 'a', y: 'b' }), /non-empty list/);
    });

    it('measures text with the real font', () => {
        expect(textWidth('WWWW', 20)).to.be.greaterThan(textWidth('iiii', 20) * 2);
        expect(wrapText('one two three four five six', textWidth('one two three', 12) + 1, 12)).to.deep.equal(['one two three', 'four five six']);
    });

    it('renders the document: headings, table, pictures, table of contents, header and footer, nothing off the page', () => {
        const r = report['report.docx'];
        expect(r.ok, r.problems.join('\n')).to.equal(true);
        expect(r.render!.pages).to.be.at.least(2);
        const text = r.render!.text;
        for (const s of ['Interview report', 'Summary', 'Action items', 'Ship beta', 'Confidential', 'Page 1 of', 'Monthly sales']) {
            expect(text).to.include(s);
        }
        expect(r.render!.pngs.length).to.equal(2);
        expect(r.validation!.ran).to.equal(true);
    });

    it('reads the document back with its structure', async () => {
        const doc = await readDocument(tmp.at('report.docx'));
        expect(doc.text).to.include('# Summary').and.include('| Ana | Ship beta | 2024-05-01 |').and.include('1. First');
        expect(doc.text).to.match(/2\. Second\n\s+- nested/);
        expect(doc.facts).to.include({ tables: 1, pictures: 2 });
    });

    it('renders the deck: 6 slides, titles as written, nothing off the page or overlapping, valid OOXML', async () => {
        const r = report['deck.pptx'];
        expect(deckSummary.slides).to.equal(6);
        expect(r.ok, r.problems.join('\n')).to.equal(true);
        expect(r.render!.pages).to.equal(6);
        for (const t of ['Q3 Planning', 'Decisions', 'What we decided', 'Risks and answers', 'Sales by month', 'Owners']) {
            expect(r.render!.text).to.include(t);
        }
        const read = await readDocument(tmp.at('deck.pptx'));
        expect(read.facts.slides).to.equal(6);
        expect(read.text).to.include('## Slide 3: What we decided').and.include('Notes: Ask Bo about dates');
    });

    it('splits a slide with too much text instead of letting it overflow', () => {
        expect(longDeckSummary.slides).to.be.greaterThan(1);
        expect(longDeckSummary.adjustments.join()).to.match(/continued over \d+ slides/);
        const r = report['long.pptx'];
        expect(r.ok, r.problems.join('\n')).to.equal(true);
        expect(r.render!.text).to.include('Point 16');
    });

    it('catches overflow in a deck made without fitting', () => {
        const r = report['raw.pptx'];
        expect(r.ok).to.equal(false);
        expect(r.render!.offPage.length + r.render!.overlaps.length).to.be.greaterThan(0);
        expect(r.problems.join('\n')).to.match(/slide 1: (text off the page|text drawn over other text)/);
    });

    it('refuses bad document and deck specs clearly', async () => {
        await expectOfficeError(buildDocument({} as any), /"markdown".*or "blocks"/);
        await expectOfficeError(buildDocument({ blocks: [{ type: 'image', path: 'nope.png' }] }, { loadImage: async () => { throw new Error('ENOENT'); } }), /blocks\[0\]: cannot read the picture nope.png/);
        await expectOfficeError(buildDeck({ slides: [{ layout: 'wide', title: 'x' } as any] }), /slides\[0\]: unknown layout "wide"/);
        await expectOfficeError(buildDeck({ slides: [{ layout: 'chart', title: 'x', chart: { type: 'bar', categories: ['a'], series: [{ name: 's', values: [1, 2] }] } }] }), /one per category/);
    });
});
