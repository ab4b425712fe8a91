import { expect } from 'chai';
import * as fs from 'fs';
import * as path from 'path';
import { moveTool } from './move';
import { makeToolBed, ToolBed } from '../../test/tool-context';

describe('Move tool', () => {
    let bed: ToolBed;
    beforeEach(() => { bed = makeToolBed(); });
    afterEach(() => bed.cleanup());

    const move = (moves: { from: string; to: string }[]) => moveTool.run({ moves }, bed.ctx());
    const rejection = async (p: Promise<unknown>) => {
        try {
            await p;
        } catch (e) {
            return (e as Error).message;
        }
        throw new Error('expected a refusal');
    };
    const listing = () => fs.readdirSync(bed.folder, { recursive: true }).map(String).sort();

    it('renames 300 photos to YYYY-MM-DD names in one call, and one undo brings every name back', async function () {
        this.timeout(20_000);
        fs.mkdirSync(bed.at('photos'));
        const moves: { from: string; to: string }[] = [];
        const day0 = Date.UTC(2023, 0, 1);
        for (let i = 0; i < 300; i++) {
            const name = `IMG_${String(i + 1).padStart(4, '0')}.jpg`;
            fs.writeFileSync(bed.at('photos', name), `photo ${i}`);
            const date = new Date(day0 + i * 86_400_000).toISOString().slice(0, 10);
            moves.push({ from: bed.at('photos', name), to: bed.at('photos', date.slice(0, 4), `${date}.jpg`) });
        }
        const before = listing();
        const r = await move(moves);
        expect(r.content).to.equal('Moved 300 items');
        expect(bed.asked).to.have.length(0);
        expect(fs.readFileSync(bed.at('photos', '2023', '2023-01-01.jpg'), 'utf8')).to.equal('photo 0');
        expect(fs.readFileSync(bed.at('photos', '2023', '2023-10-27.jpg'), 'utf8')).to.equal('photo 299');
        expect(fs.readdirSync(bed.at('photos')).filter(n => n.startsWith('IMG_'))).to.have.length(0);
        const changed = bed.eventsOf('file.changed');
        expect(changed).to.have.length(300);
        expect(new Set(changed.map(e => e.step)).size).to.equal(1);
        expect(bed.journal.steps()).to.have.length(1);

        const report = await bed.journal.undo();
        expect(report.conflicts).to.deep.equal([]);
        expect(report.restored).to.have.length(300);
        expect(fs.readFileSync(bed.at('photos', 'IMG_0300.jpg'), 'utf8')).to.equal('photo 299');
        // The created year folder stays (empty); every file is back under its old name.
        expect(listing().filter(n => n.endsWith('.jpg'))).to.deep.equal(before.filter(n => n.endsWith('.jpg')));
    });

    it('refuses a batch where two moves land on the same name, before moving anything', async () => {
        for (const n of ['a.jpg', 'b.jpg', 'c.jpg']) {
            fs.writeFileSync(bed.at(n), n);
        }
        const before = listing();
        const msg = await rejection(move([
            { from: bed.at('a.jpg'), to: bed.at('2024-01-01.jpg') },
            { from: bed.at('b.jpg'), to: bed.at('2024-01-02.jpg') },
            { from: bed.at('c.jpg'), to: bed.at('2024-01-01.jpg') }
        ]));
        expect(msg).to.include('Two moves target').and.include('nothing was moved');
        expect(listing()).to.deep.equal(before);
        expect(bed.journal.entries()).to.have.length(0);
    });

    it('refuses a batch with a missing source, before moving anything', async () => {
        fs.writeFileSync(bed.at('a.txt'), 'a');
        const msg = await rejection(move([{ from: bed.at('a.txt'), to: bed.at('b.txt') }, { from: bed.at('ghost.txt'), to: bed.at('c.txt') }]));
        expect(msg).to.include('does not exist');
        expect(fs.existsSync(bed.at('a.txt'))).to.equal(true);
    });

    it('refuses chains and moving a folder into itself', async () => {
        fs.writeFileSync(bed.at('a.txt'), 'a');
        fs.writeFileSync(bed.at('b.txt'), 'b');
        fs.mkdirSync(bed.at('dir'));
        expect(await rejection(move([{ from: bed.at('a.txt'), to: bed.at('b.txt') }, { from: bed.at('b.txt'), to: bed.at('c.txt') }])))
            .to.include('both a source and a destination');
        expect(await rejection(move([{ from: bed.at('dir'), to: bed.at('dir', 'inner') }]))).to.include('into itself');
        expect(fs.readFileSync(bed.at('a.txt'), 'utf8')).to.equal('a');
    });

    it('asks before moving onto an existing file; deny moves nothing', async () => {
        fs.writeFileSync(bed.at('new.txt'), 'new');
        fs.writeFileSync(bed.at('old.txt'), 'old!');
        fs.writeFileSync(bed.at('x.txt'), 'x');
        bed.answer = { allowed: false, by: 'user' };
        const msg = await rejection(move([{ from: bed.at('x.txt'), to: bed.at('y.txt') }, { from: bed.at('new.txt'), to: bed.at('old.txt') }]));
        expect(msg).to.include('not allowed').and.include('nothing was moved');
        expect(bed.asked[0]).to.deep.include({ tool: 'Move', action: 'move-over', paths: [bed.at('old.txt')], sizes: [4] });
        expect(fs.readFileSync(bed.at('old.txt'), 'utf8')).to.equal('old!');
        expect(fs.existsSync(bed.at('x.txt'))).to.equal(true);
        expect(fs.existsSync(bed.at('y.txt'))).to.equal(false);
    });

    it('moves onto an existing file when allowed, and undo restores both', async () => {
        fs.writeFileSync(bed.at('new.txt'), 'new');
        fs.writeFileSync(bed.at('old.txt'), 'old!');
        const r = await move([{ from: bed.at('new.txt'), to: bed.at('old.txt') }]);
        expect(r.content).to.include('1 replaced existing files');
        expect(fs.readFileSync(bed.at('old.txt'), 'utf8')).to.equal('new');
        await bed.journal.undo();
        expect(fs.readFileSync(bed.at('old.txt'), 'utf8')).to.equal('old!');
        expect(fs.readFileSync(bed.at('new.txt'), 'utf8')).to.equal('new');
    });

    it('moves a file into an existing folder, and moves folders', async () => {
        fs.writeFileSync(bed.at('a.txt'), 'a');
        fs.mkdirSync(bed.at('archive'));
        fs.mkdirSync(bed.at('proj', 'src'), { recursive: true });
        fs.writeFileSync(bed.at('proj', 'src', 'main.js'), 'code');
        await move([{ from: bed.at('a.txt'), to: bed.at('archive') }, { from: bed.at('proj'), to: bed.at('archive', 'proj-2024') }]);
        expect(fs.readFileSync(bed.at('archive', 'a.txt'), 'utf8')).to.equal('a');
        expect(fs.readFileSync(bed.at('archive', 'proj-2024', 'src', 'main.js'), 'utf8')).to.equal('code');
        await bed.journal.undo();
        expect(fs.readFileSync(bed.at('proj', 'src', 'main.js'), 'utf8')).to.equal('code');
        expect(fs.readFileSync(bed.at('a.txt'), 'utf8')).to.equal('a');
    });

    it('renames a link itself, leaving its target where it is', async () => {
        fs.writeFileSync(bed.at('target.txt'), 't');
        fs.symlinkSync('target.txt', bed.at('link.txt'));
        await move([{ from: bed.at('link.txt'), to: bed.at('renamed-link.txt') }]);
        expect(fs.readlinkSync(bed.at('renamed-link.txt'))).to.equal('target.txt');
        expect(fs.readFileSync(bed.at('target.txt'), 'utf8')).to.equal('t');
    });

    it('refuses moves out of or into places outside the grants', async () => {
        fs.writeFileSync(bed.at('a.txt'), 'a');
        fs.writeFileSync(path.join(bed.outside, 'o.txt'), 'o');
        expect(await rejection(move([{ from: bed.at('a.txt'), to: path.join(bed.outside, 'a.txt') }]))).to.include('outside the granted folders');
        expect(await rejection(move([{ from: path.join(bed.outside, 'o.txt'), to: bed.at('o.txt') }]))).to.include('outside the granted folders');
        expect(fs.readdirSync(bed.outside)).to.deep.equal(['o.txt']);
        expect(fs.existsSync(bed.at('a.txt'))).to.equal(true);
    });
});
