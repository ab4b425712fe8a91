import { expect } from 'chai';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { grepTool } from './grep';
import { binaryBytes, makeToolBed, ToolBed } from '../../test/tool-context';

describe('Grep tool', () => {
    let bed: ToolBed;
    beforeEach(() => {
        bed = makeToolBed();
        fs.mkdirSync(bed.at('notes'));
        fs.writeFileSync(bed.at('notes', 'a.md'), 'intro\nInvoice 17 paid\nmiddle\nother\ninvoice 18 open\nend\n');
        fs.writeFileSync(bed.at('notes', 'b.txt'), 'nothing here\nINVOICE 19\n');
        fs.writeFileSync(bed.at('c.md'), 'no match at all\n');
    });
    afterEach(() => bed.cleanup());

    type Input = Parameters<typeof grepTool.run>[0];
    const grep = async (input: Input) => (await grepTool.run(input, bed.ctx())).content as string;

    it('lists matching files by default', async () => {
        expect(await grep({ pattern: 'nvoice' })).to.equal(bed.at('notes', 'a.md'));
        expect((await grep({ pattern: 'invoice', '-i': true })).split('\n')).to.deep.equal([bed.at('notes', 'a.md'), bed.at('notes', 'b.txt')]);
    });

    it('shows matching lines with line numbers in content mode', async () => {
        expect(await grep({ pattern: 'nvoice \\d+', output_mode: 'content' })).to.equal(
            `${bed.at('notes', 'a.md')}:2:Invoice 17 paid\n${bed.at('notes', 'a.md')}:5:invoice 18 open`);
        expect(await grep({ pattern: 'paid', output_mode: 'content', '-n': false })).to.equal(`${bed.at('notes', 'a.md')}:Invoice 17 paid`);
    });

    it('adds context lines with -C, -A and -B', async () => {
        const file = bed.at('notes', 'a.md');
        expect(await grep({ pattern: 'paid', output_mode: 'content', '-C': 1 })).to.equal(
            [`${file}:1:intro`, `${file}:2:Invoice 17 paid`, `${file}:3:middle`].join('\n'));
        expect(await grep({ pattern: 'open', output_mode: 'content', '-A': 1, '-B': 0 })).to.equal(
            [`${file}:5:invoice 18 open`, `${file}:6:end`].join('\n'));
        // Overlapping context is printed once.
        expect((await grep({ pattern: 'nvoice', output_mode: 'content', '-C': 2 })).split('\n')).to.have.length(6);
    });

    it('counts matches per file', async () => {
        expect(await grep({ pattern: 'invoice', '-i': true, output_mode: 'count' })).to.equal(
            `${bed.at('notes', 'a.md')}:2\n${bed.at('notes', 'b.txt')}:1`);
    });

    it('filters files with a glob', async () => {
        expect(await grep({ pattern: 'invoice', '-i': true, glob: '*.txt' })).to.equal(bed.at('notes', 'b.txt'));
        expect(await grep({ pattern: 'match', glob: '*.md' })).to.equal(bed.at('c.md'));
    });

    it('searches one file when given a file', async () => {
        expect(await grep({ pattern: '19', path: bed.at('notes', 'b.txt'), output_mode: 'content' })).to.equal(`${bed.at('notes', 'b.txt')}:2:INVOICE 19`);
    });

    it('skips binary files and files behind links out of the grant', async () => {
        fs.writeFileSync(bed.at('blob.bin'), Buffer.concat([Buffer.from('Invoice 99\n'), binaryBytes(400)]));
        fs.writeFileSync(path.join(bed.outside, 'leak.txt'), 'Invoice 100\n');
        fs.symlinkSync(path.join(bed.outside, 'leak.txt'), bed.at('leak.txt'));
        expect(await grep({ pattern: 'Invoice' })).to.equal(bed.at('notes', 'a.md'));
    });

    it('reads nothing outside the grants even when the glob climbs out', async () => {
        fs.writeFileSync(path.join(bed.outside, 'leak.txt'), 'Invoice 100\n');
        expect(await grep({ pattern: 'Invoice', glob: '../outside/*.txt' })).to.include('No matches');
        expect(await grep({ pattern: 'Invoice 100', glob: '../**/*.txt', output_mode: 'content' })).to.include('No matches');
    });

    it('skips a named pipe instead of waiting on it', async () => {
        execFileSync('mkfifo', [bed.at('notes', 'pipe')]);
        expect(await grep({ pattern: 'x', path: bed.at('notes', 'pipe') })).to.include('No matches');
    });

    it('cuts output at head_limit and says so', async () => {
        const out = (await grep({ pattern: '.', output_mode: 'content', head_limit: 3 })).split('\n');
        expect(out).to.have.length(4);
        expect(out[3]).to.include('head_limit=3');
    });

    it('reports no matches and bad patterns clearly', async () => {
        expect(await grep({ pattern: 'zebra' })).to.equal(`No matches for zebra under ${bed.folder}`);
        let message = '';
        await grepTool.run({ pattern: '(unclosed' }, bed.ctx()).catch(e => { message = e.message; });
        expect(message).to.include('Invalid regular expression').and.include('(unclosed');
    });
});
