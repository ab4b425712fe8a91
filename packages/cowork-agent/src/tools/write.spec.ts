import { expect } from 'chai';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import { writeTool } from './write';
import { makeToolBed, ToolBed } from '../../test/tool-context';

describe('Write tool', () => {
    let bed: ToolBed;
    beforeEach(() => { bed = makeToolBed(); });
    afterEach(() => bed.cleanup());

    const write = (file_path: string, content: string) => writeTool.run({ file_path, content }, bed.ctx());
    const rejection = async (p: Promise<unknown>) => {
        try {
            await p;
        } catch (e) {
            return (e as Error).message;
        }
        throw new Error('expected a refusal');
    };

    it('creates a file and its missing folders without asking, journalled', async () => {
        const r = await write(bed.at('reports', '2024', 'q1.md'), '# Q1\n\nAll good.\n');
        expect(r.content).to.equal(`Created ${bed.at('reports', '2024', 'q1.md')} (4 lines, 16 bytes)`);
        expect(fs.readFileSync(bed.at('reports', '2024', 'q1.md'), 'utf8')).to.equal('# Q1\n\nAll good.\n');
        expect(bed.asked).to.have.length(0);
        expect(bed.eventsOf('file.changed')).to.deep.equal([{ type: 'file.changed', path: bed.at('reports', '2024', 'q1.md'), change: 'created', step: 1 }]);
        expect(bed.journal.steps()[0]).to.include({ tool: 'Write', step: 1 });
        // No temp files are left behind.
        expect(fs.readdirSync(bed.at('reports', '2024'))).to.deep.equal(['q1.md']);
    });

    it('asks before replacing a file of the user, and keeps the old content for undo', async () => {
        fs.writeFileSync(bed.at('budget.csv'), 'a,b\n1,2\n');
        const r = await write(bed.at('budget.csv'), 'a,b\n3,4\n');
        expect(r.content).to.include('Replaced');
        expect(bed.asked).to.have.length(1);
        expect(bed.asked[0]).to.deep.include({ tool: 'Write', action: 'overwrite', paths: [bed.at('budget.csv')], sizes: [8] });
        expect(bed.eventsOf('permission.resolved')[0]).to.include({ allowed: true, by: 'user' });
        expect(fs.readFileSync(bed.at('budget.csv'), 'utf8')).to.equal('a,b\n3,4\n');
        await bed.journal.undo();
        expect(fs.readFileSync(bed.at('budget.csv'), 'utf8')).to.equal('a,b\n1,2\n');
    });

    it('does not ask to rewrite a file this session created', async () => {
        await write(bed.at('draft.md'), 'v1');
        await write(bed.at('draft.md'), 'v2');
        expect(bed.asked).to.have.length(0);
        expect(fs.readFileSync(bed.at('draft.md'), 'utf8')).to.equal('v2');
        expect(bed.eventsOf('file.changed').map(e => e.change)).to.deep.equal(['created', 'modified']);
    });

    it('asks again once the user changed a file the session created', async () => {
        await write(bed.at('draft.md'), 'v1');
        fs.writeFileSync(bed.at('draft.md'), 'the user wrote here');
        bed.answer = { allowed: false, by: 'user' };
        await rejection(write(bed.at('draft.md'), 'v2'));
        expect(bed.asked).to.have.length(1);
        expect(fs.readFileSync(bed.at('draft.md'), 'utf8')).to.equal('the user wrote here');
    });

    it('leaves the file intact when the user denies', async () => {
        fs.writeFileSync(bed.at('keep.txt'), 'precious');
        bed.answer = { allowed: false, by: 'user' };
        const msg = await rejection(write(bed.at('keep.txt'), 'junk'));
        expect(msg).to.include('not allowed').and.include('unchanged');
        expect(fs.readFileSync(bed.at('keep.txt'), 'utf8')).to.equal('precious');
        expect(bed.journal.entries()).to.have.length(0);
        expect(bed.eventsOf('file.changed')).to.have.length(0);
    });

    it('keeps the mode of a replaced file', async () => {
        fs.writeFileSync(bed.at('run.sh'), 'echo 1\n');
        fs.chmodSync(bed.at('run.sh'), 0o750);
        await write(bed.at('run.sh'), 'echo 2\n');
        expect(fs.statSync(bed.at('run.sh')).mode & 0o777).to.equal(0o750);
    });

    it('refuses to write into a named pipe', async () => {
        execFileSync('mkfifo', [bed.at('pipe')]);
        expect(await rejection(write(bed.at('pipe'), 'x'))).to.include('not a regular file');
        expect(bed.journal.entries()).to.have.length(0);
    });

    it('refuses a folder, a read-only grant and paths outside', async () => {
        fs.mkdirSync(bed.at('dir'));
        expect(await rejection(write(bed.at('dir'), 'x'))).to.include('is a folder');
        const ro = makeToolBed({ extraGrants: [{ name: 'ref', mode: 'ro' }] });
        try {
            const target = `${ro.root}/ref/new.txt`;
            expect(await rejection(writeTool.run({ file_path: target, content: 'x' }, ro.ctx()))).to.include('read-only');
            expect(fs.existsSync(target)).to.equal(false);
        } finally {
            ro.cleanup();
        }
        expect(await rejection(write(`${bed.outside}/x.txt`, 'x'))).to.include('outside the granted folders');
        expect(fs.readdirSync(bed.outside)).to.deep.equal([]);
    });
});
