import { expect } from 'chai';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ChangeJournal, hashOf } from './change-journal';

describe('ChangeJournal', () => {
    let root: string;
    let work: string;
    let journal: ChangeJournal;
    const at = (...p: string[]) => path.join(work, ...p);
    const put = (name: string, data: string | Buffer, mode = 0o644) => {
        fs.mkdirSync(path.dirname(at(name)), { recursive: true });
        fs.writeFileSync(at(name), data);
        fs.chmodSync(at(name), mode);
    };
    const read = (name: string) => fs.readFileSync(at(name), 'utf8');
    const mode = (name: string) => fs.statSync(at(name)).mode & 0o7777;
    const step = () => journal.beginStep({ tool: 'Test', toolUseId: 'toolu_x' });

    beforeEach(() => {
        root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'cowork-journal-')));
        work = path.join(root, 'work');
        fs.mkdirSync(work);
        journal = new ChangeJournal(path.join(root, 'journal'));
    });
    afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

    it('undoes a creation: the file goes, its bytes stay in the journal', async () => {
        expect(await journal.write(step(), at('new.txt'), 'fresh')).to.equal('created');
        expect(read('new.txt')).to.equal('fresh');
        const report = await journal.undo();
        expect(fs.existsSync(at('new.txt'))).to.equal(false);
        expect(report.restored).to.deep.equal([at('new.txt')]);
        expect(report.conflicts).to.deep.equal([]);
        const keptFiles = fs.readdirSync(path.join(journal.dir, 'kept'));
        expect(keptFiles.map(f => fs.readFileSync(path.join(journal.dir, 'kept', f), 'utf8'))).to.deep.equal(['fresh']);
    });

    it('undoes a modification to the same bytes and mode', async () => {
        const original = Buffer.from([0, 1, 2, 250, 251, 10, 13]);
        put('data.bin', original, 0o640);
        expect(await journal.write(step(), at('data.bin'), 'replaced')).to.equal('modified');
        expect(read('data.bin')).to.equal('replaced');
        expect(mode('data.bin')).to.equal(0o640);
        await journal.undo();
        expect(fs.readFileSync(at('data.bin')).equals(original)).to.equal(true);
        expect(mode('data.bin')).to.equal(0o640);
    });

    it('undoes several changes of one file newest first', async () => {
        put('a.txt', 'v1');
        await journal.write(step(), at('a.txt'), 'v2');
        await journal.write(step(), at('a.txt'), 'v3');
        await journal.undo();
        expect(read('a.txt')).to.equal('v1');
    });

    it('undoes a deletion with the same bytes and mode', async () => {
        put('photo.jpg', Buffer.from('not really a jpeg'), 0o600);
        await journal.delete(step(), at('photo.jpg'));
        expect(fs.existsSync(at('photo.jpg'))).to.equal(false);
        await journal.undo();
        expect(read('photo.jpg')).to.equal('not really a jpeg');
        expect(mode('photo.jpg')).to.equal(0o600);
    });

    it('deletes a whole folder and restores it with its files, links and modes', async () => {
        put('album/2024/a.jpg', 'A', 0o600);
        put('album/2024/b.jpg', 'B');
        put('album/readme.md', 'R', 0o755);
        fs.symlinkSync('2024/a.jpg', at('album', 'latest'));
        await journal.delete(step(), at('album'));
        expect(fs.existsSync(at('album'))).to.equal(false);
        await journal.undo();
        expect(read('album/2024/a.jpg')).to.equal('A');
        expect(read('album/2024/b.jpg')).to.equal('B');
        expect(mode('album/2024/a.jpg')).to.equal(0o600);
        expect(mode('album/readme.md')).to.equal(0o755);
        expect(fs.readlinkSync(at('album', 'latest'))).to.equal('2024/a.jpg');
    });

    it('undoes a move (rename into a new folder)', async () => {
        put('IMG_0001.jpg', 'pixels', 0o600);
        await journal.move(step(), at('IMG_0001.jpg'), at('2024', '2024-05-01.jpg'));
        expect(read('2024/2024-05-01.jpg')).to.equal('pixels');
        expect(fs.existsSync(at('IMG_0001.jpg'))).to.equal(false);
        const report = await journal.undo();
        expect(report.restored).to.deep.equal([at('IMG_0001.jpg')]);
        expect(read('IMG_0001.jpg')).to.equal('pixels');
        expect(mode('IMG_0001.jpg')).to.equal(0o600);
        expect(fs.existsSync(at('2024', '2024-05-01.jpg'))).to.equal(false);
    });

    it('undoes a move over an existing file: both files come back, with their modes', async () => {
        put('draft.txt', 'new version', 0o644);
        put('final.txt', 'old version', 0o600);
        await journal.move(step(), at('draft.txt'), at('final.txt'));
        expect(read('final.txt')).to.equal('new version');
        await journal.undo();
        expect(read('draft.txt')).to.equal('new version');
        expect(read('final.txt')).to.equal('old version');
        expect(mode('final.txt')).to.equal(0o600);
        expect(mode('draft.txt')).to.equal(0o644);
    });

    it('undoes one step and leaves the others', async () => {
        put('a.txt', 'a1');
        put('b.txt', 'b1');
        const s1 = step();
        await journal.write(s1, at('a.txt'), 'a2');
        const s2 = step();
        await journal.write(s2, at('b.txt'), 'b2');
        await journal.delete(s2, at('a.txt'));
        expect(s2).to.equal(s1 + 1);
        const report = await journal.undo(s2);
        expect(report.steps).to.deep.equal([s2]);
        expect(read('a.txt')).to.equal('a2');
        expect(read('b.txt')).to.equal('b1');
        const rest = await journal.undo();
        expect(rest.steps).to.deep.equal([s1]);
        expect(read('a.txt')).to.equal('a1');
    });

    it('reports a file changed since and leaves it alone, restoring the rest', async () => {
        put('a.txt', 'a1');
        put('b.txt', 'b1');
        const s = step();
        await journal.write(s, at('a.txt'), 'a2');
        await journal.write(s, at('b.txt'), 'b2');
        await journal.write(s, at('c.txt'), 'c-created');
        fs.writeFileSync(at('a.txt'), 'the user typed this');
        fs.writeFileSync(at('c.txt'), 'the user kept working here');
        const report = await journal.undo();
        expect(report.conflicts.map(c => c.path).sort()).to.deep.equal([at('a.txt'), at('c.txt')]);
        expect(report.conflicts.every(c => /changed since/.test(c.reason))).to.equal(true);
        expect(read('a.txt')).to.equal('the user typed this');
        expect(read('c.txt')).to.equal('the user kept working here');
        expect(read('b.txt')).to.equal('b1');
        // The conflicts stay pending: asking again reports them again and still does nothing.
        const again = await journal.undo();
        expect(again.restored).to.deep.equal([]);
        expect(again.conflicts).to.have.length(2);
        expect(read('a.txt')).to.equal('the user typed this');
    });

    it('does not recreate a deleted file over a new one with the same name', async () => {
        put('a.txt', 'old');
        await journal.delete(step(), at('a.txt'));
        put('a.txt', 'new one');
        const report = await journal.undo();
        expect(report.conflicts).to.have.length(1);
        expect(report.conflicts[0].reason).to.include('new file');
        expect(read('a.txt')).to.equal('new one');
    });

    it('does not move a file back over one that appeared at the old name', async () => {
        put('a.txt', 'moved');
        await journal.move(step(), at('a.txt'), at('b.txt'));
        put('a.txt', 'newcomer');
        const report = await journal.undo();
        expect(report.conflicts).to.have.length(1);
        expect(read('a.txt')).to.equal('newcomer');
        expect(read('b.txt')).to.equal('moved');
    });

    it('does nothing when undone twice', async () => {
        put('a.txt', 'a1');
        await journal.write(step(), at('a.txt'), 'a2');
        await journal.delete(step(), at('a.txt'));
        await journal.undo();
        expect(read('a.txt')).to.equal('a1');
        fs.writeFileSync(at('a.txt'), 'edited after undo');
        const again = await journal.undo();
        expect(again).to.deep.equal({ restored: [], conflicts: [], steps: [] });
        expect(read('a.txt')).to.equal('edited after undo');
    });

    it('keeps its record across instances (a restarted process can undo)', async () => {
        put('a.txt', 'a1');
        const s = step();
        await journal.write(s, at('a.txt'), 'a2');
        const reopened = new ChangeJournal(journal.dir);
        expect(reopened.steps().map(x => x.step)).to.deep.equal([s]);
        expect(reopened.beginStep({ tool: 'T', toolUseId: 'u' })).to.equal(s + 1);
        await reopened.undo();
        expect(read('a.txt')).to.equal('a1');
    });

    it('survives a torn last record: the next change is still recorded and undoable', async () => {
        put('a.txt', 'a1');
        await journal.write(step(), at('a.txt'), 'a2');
        fs.appendFileSync(path.join(journal.dir, 'entries.jsonl'), '{"id":"torn","step":9,"op":"mod');
        put('b.txt', 'b1');
        await journal.write(step(), at('b.txt'), 'b2');
        expect(journal.entries().map(e => e.path)).to.deep.equal([at('a.txt'), at('b.txt')]);
        await journal.undo();
        expect(read('a.txt')).to.equal('a1');
        expect(read('b.txt')).to.equal('b1');
    });

    it('knows which files this session created and still owns', async () => {
        put('users.txt', 'mine');
        expect(journal.createdInThisSession(at('users.txt'))).to.equal(false);
        await journal.write(step(), at('users.txt'), 'changed by the task');
        expect(journal.createdInThisSession(at('users.txt'))).to.equal(false);

        await journal.write(step(), at('made.txt'), 'v1');
        expect(journal.createdInThisSession(at('made.txt'))).to.equal(true);
        await journal.write(step(), at('made.txt'), 'v2');
        expect(journal.createdInThisSession(at('made.txt'))).to.equal(true);
        fs.writeFileSync(at('made.txt'), 'the user edited it');
        expect(journal.createdInThisSession(at('made.txt'))).to.equal(false);

        await journal.write(step(), at('moved.txt'), 'x');
        await journal.move(step(), at('moved.txt'), at('elsewhere.txt'));
        expect(journal.createdInThisSession(at('moved.txt'))).to.equal(false);
        put('moved.txt', 'x');
        expect(journal.createdInThisSession(at('moved.txt'))).to.equal(false);
        expect(journal.createdInThisSession(at('missing.txt'))).to.equal(false);
    });

    it('records the change on disk before making it', async () => {
        put('a.txt', 'before');
        await journal.write(step(), at('a.txt'), 'after');
        const [entry] = journal.entries();
        expect(entry).to.include({ op: 'modify', path: at('a.txt'), before: hashOf('before'), after: hashOf('after') });
        expect(fs.readFileSync(path.join(journal.dir, 'blobs', hashOf('before')), 'utf8')).to.equal('before');
        expect(fs.statSync(path.join(journal.dir, 'entries.jsonl')).mode & 0o777).to.equal(0o600);
    });

    it('refuses to write over a folder', async () => {
        fs.mkdirSync(at('dir'));
        let error: Error | undefined;
        await journal.write(step(), at('dir'), 'x').catch(e => { error = e; });
        expect(error?.message).to.include('is a folder');
        expect(journal.entries()).to.have.length(0);
    });
});
