import { expect } from 'chai';
import * as fs from 'fs';
import { deleteTool } from './delete';
import { makeToolBed, ToolBed } from '../../test/tool-context';

describe('Delete tool', () => {
    let bed: ToolBed;
    beforeEach(() => {
        bed = makeToolBed();
        fs.writeFileSync(bed.at('a.txt'), 'aaaa');
        fs.mkdirSync(bed.at('old', 'sub'), { recursive: true });
        fs.writeFileSync(bed.at('old', 'x.bin'), Buffer.alloc(2048, 1));
        fs.writeFileSync(bed.at('old', 'sub', 'y.txt'), 'yy');
        fs.chmodSync(bed.at('old', 'sub', 'y.txt'), 0o600);
    });
    afterEach(() => bed.cleanup());

    const del = (paths: string[]) => deleteTool.run({ paths }, bed.ctx());
    const rejection = async (p: Promise<unknown>) => {
        try {
            await p;
        } catch (e) {
            return (e as Error).message;
        }
        throw new Error('expected a refusal');
    };

    it('asks first, listing paths and sizes (a folder with its total), then deletes', async () => {
        const r = await del([bed.at('a.txt'), 'old']);
        expect(bed.asked).to.have.length(1);
        expect(bed.asked[0]).to.deep.include({ tool: 'Delete', action: 'delete', paths: [bed.at('a.txt'), bed.at('old')], sizes: [4, 2050] });
        expect(fs.existsSync(bed.at('a.txt'))).to.equal(false);
        expect(fs.existsSync(bed.at('old'))).to.equal(false);
        expect(r.content).to.include('Deleted 2 item(s), 2.0 KiB');
        expect(bed.eventsOf('file.changed').map(e => [e.path, e.change])).to.deep.equal([[bed.at('a.txt'), 'deleted'], [bed.at('old'), 'deleted']]);
    });

    it('keeps everything when the user denies', async () => {
        bed.answer = { allowed: false, by: 'user' };
        const msg = await rejection(del([bed.at('a.txt'), bed.at('old')]));
        expect(msg).to.include('not allowed').and.include('nothing was deleted');
        expect(fs.readFileSync(bed.at('a.txt'), 'utf8')).to.equal('aaaa');
        expect(fs.existsSync(bed.at('old', 'sub', 'y.txt'))).to.equal(true);
        expect(bed.journal.entries()).to.have.length(0);
        expect(bed.eventsOf('permission.resolved')[0]).to.include({ allowed: false });
    });

    it('restores a deleted folder with undo, contents and modes', async () => {
        await del([bed.at('old')]);
        await bed.journal.undo();
        expect(fs.readFileSync(bed.at('old', 'x.bin')).equals(Buffer.alloc(2048, 1))).to.equal(true);
        expect(fs.readFileSync(bed.at('old', 'sub', 'y.txt'), 'utf8')).to.equal('yy');
        expect(fs.statSync(bed.at('old', 'sub', 'y.txt')).mode & 0o777).to.equal(0o600);
    });

    it('copes with a file and its folder in one batch, and undo restores both', async () => {
        await del([bed.at('old', 'sub', 'y.txt'), bed.at('old')]);
        expect(fs.existsSync(bed.at('old'))).to.equal(false);
        const report = await bed.journal.undo();
        expect(report.conflicts).to.deep.equal([]);
        expect(fs.readFileSync(bed.at('old', 'sub', 'y.txt'), 'utf8')).to.equal('yy');
    });

    it('deletes nothing when one of the paths is missing, outside, or a granted folder', async () => {
        expect(await rejection(del([bed.at('a.txt'), bed.at('ghost.txt')]))).to.include('does not exist');
        expect(await rejection(del([bed.at('a.txt'), `${bed.outside}`]))).to.include('outside the granted folders');
        expect(await rejection(del([bed.folder]))).to.include('granted folder itself');
        expect(fs.existsSync(bed.at('a.txt'))).to.equal(true);
        expect(bed.asked).to.have.length(0);
    });

    it('deletes a link itself, not what it points to, and undo brings the link back', async () => {
        fs.symlinkSync(bed.at('a.txt'), bed.at('shortcut.txt'));
        fs.writeFileSync(`${bed.outside}/secret.txt`, 'outside');
        fs.symlinkSync(`${bed.outside}/secret.txt`, bed.at('out-link'));
        await del([bed.at('shortcut.txt'), bed.at('out-link')]);
        expect(bed.asked[0].paths).to.deep.equal([bed.at('shortcut.txt'), bed.at('out-link')]);
        expect(fs.readFileSync(bed.at('a.txt'), 'utf8')).to.equal('aaaa');
        expect(fs.readFileSync(`${bed.outside}/secret.txt`, 'utf8')).to.equal('outside');
        expect(fs.existsSync(bed.at('shortcut.txt'))).to.equal(false);
        await bed.journal.undo();
        expect(fs.readlinkSync(bed.at('shortcut.txt'))).to.equal(bed.at('a.txt'));
    });
});
