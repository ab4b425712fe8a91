import { expect } from 'chai';
import * as fs from 'fs';
import * as path from 'path';
import { globTool } from './glob';
import { makeToolBed, ToolBed } from '../../test/tool-context';

describe('Glob tool', () => {
    let bed: ToolBed;
    beforeEach(() => { bed = makeToolBed(); });
    afterEach(() => bed.cleanup());

    const glob = async (pattern: string, p?: string) => (await globTool.run({ pattern, ...(p ? { path: p } : {}) }, bed.ctx())).content as string;
    const touch = (name: string, minutesAgo: number) => {
        fs.mkdirSync(path.dirname(bed.at(name)), { recursive: true });
        fs.writeFileSync(bed.at(name), name);
        const t = new Date(Date.now() - minutesAgo * 60_000);
        fs.utimesSync(bed.at(name), t, t);
    };

    it('lists matches as absolute paths, most recently modified first', async () => {
        touch('receipts/old.pdf', 300);
        touch('receipts/new.pdf', 1);
        touch('receipts/2023/mid.pdf', 60);
        touch('receipts/notes.txt', 0);
        expect((await glob('**/*.pdf')).split('\n')).to.deep.equal([
            bed.at('receipts/new.pdf'), bed.at('receipts/2023/mid.pdf'), bed.at('receipts/old.pdf')
        ]);
        expect((await glob('*.pdf', bed.at('receipts'))).split('\n')).to.deep.equal([bed.at('receipts/new.pdf'), bed.at('receipts/old.pdf')]);
    });

    it('includes dot files, skips node_modules and .git', async () => {
        touch('.env.example', 1);
        touch('node_modules/x/index.js', 1);
        touch('.git/config', 1);
        touch('src/main.js', 2);
        expect((await glob('**/*')).split('\n').sort()).to.deep.equal([bed.at('.env.example'), bed.at('src/main.js')].sort());
    });

    it('says when nothing matches', async () => {
        expect(await glob('**/*.xlsx')).to.equal(`No files match **/*.xlsx under ${bed.folder}`);
    });

    it('does not list files reached through links out of the grant', async () => {
        fs.writeFileSync(path.join(bed.outside, 'secret.pdf'), 'x');
        fs.mkdirSync(path.join(bed.outside, 'deep'));
        fs.writeFileSync(path.join(bed.outside, 'deep', 'other.pdf'), 'x');
        fs.symlinkSync(path.join(bed.outside, 'secret.pdf'), bed.at('link.pdf'));
        fs.symlinkSync(bed.outside, bed.at('linked-dir'));
        touch('mine.pdf', 1);
        expect(await glob('**/*.pdf')).to.equal(bed.at('mine.pdf'));
    });

    it('lists nothing outside the grants even when the pattern climbs out', async () => {
        fs.writeFileSync(path.join(bed.outside, 'secret.pdf'), 'x');
        expect(await glob('../outside/*.pdf')).to.include('No files match');
        expect(await glob('../**/secret.pdf')).to.include('No files match');
    });

    it('refuses to search outside the grants', async () => {
        let message = '';
        await globTool.run({ pattern: '*', path: bed.outside }, bed.ctx()).catch(e => { message = e.message; });
        expect(message).to.include('outside the granted folders');
    });
});
