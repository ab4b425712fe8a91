import { expect } from 'chai';
import * as fs from 'fs';
import JSZip from 'jszip';
import { buildDeck } from '../src/deck-writer';
import { validateOoxml } from '../src/ooxml-validator';
import { buildWorkbook } from '../src/spreadsheet-writer';
import { tempDir } from './fixtures';

describe('OOXML schema validation with a small allowlist', function () {
    this.timeout(60_000);
    const tmp = tempDir();
    after(() => tmp.cleanup());

    it('passes the libraries\' known quirks and reports anything new', async () => {
        const book = await buildWorkbook({ sheets: [{ name: 'S', rows: [['x', 1, '=B1*2']] }] });
        fs.writeFileSync(tmp.at('ok.xlsx'), book.bytes);
        const deck = await buildDeck({ slides: [{ layout: 'chart', title: 'C', chart: { type: 'column', categories: ['a', 'b'], series: [{ name: 's', values: [1, 2] }] } }] });
        fs.writeFileSync(tmp.at('ok.pptx'), deck.bytes);
        const zip = await JSZip.loadAsync(book.bytes);
        const sheet = await zip.file('xl/worksheets/sheet1.xml')!.async('string');
        zip.file('xl/worksheets/sheet1.xml', sheet.replace('<sheetData>', '<sheetData><bogus/>'));
        fs.writeFileSync(tmp.at('bad.xlsx'), await zip.generateAsync({ type: 'nodebuffer' }));
        const [ok, okDeck, bad] = await Promise.all(['ok.xlsx', 'ok.pptx', 'bad.xlsx'].map(f => validateOoxml(tmp.at(f))));
        expect(ok).to.deep.include({ ran: true, errors: [] });
        expect(ok.allowed).to.be.greaterThan(0);
        expect(okDeck).to.deep.include({ ran: true, errors: [] });
        expect(bad.errors.length).to.be.greaterThan(0);
        expect(bad.errors[0].part).to.equal('/xl/worksheets/sheet1.xml');
    });
});
