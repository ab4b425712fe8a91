import { expect } from 'chai';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { SessionStore } from './session-store';

describe('SessionStore', () => {
    let dataDir: string;
    let store: SessionStore;
    const init = (prompt = 'tidy my photos') => ({ prompt, grants: [{ path: '/w', mode: 'rw' as const }], model: 'claude-test' });

    beforeEach(() => {
        dataDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cowork-store-')), 'data');
        fs.mkdirSync(dataDir, { mode: 0o755 });
        store = new SessionStore(dataDir);
    });
    afterEach(() => fs.rmSync(path.dirname(dataDir), { recursive: true, force: true }));

    it('creates private session folders with meta, log and journal', () => {
        const s = store.create(init());
        expect(s.id).to.match(/^\d{4}-\d{2}-\d{2}-[0-9a-f]{8}$/);
        expect(fs.statSync(dataDir).mode & 0o777).to.equal(0o700);
        expect(fs.statSync(s.dir).mode & 0o777).to.equal(0o700);
        expect(fs.statSync(path.join(s.dir, 'meta.json')).mode & 0o777).to.equal(0o600);
        expect(fs.existsSync(path.join(s.dir, 'events.jsonl'))).to.equal(true);
        expect(s.meta).to.include({ prompt: 'tidy my photos', status: 'running', pid: process.pid, model: 'claude-test' });
        s.close();
    });

    it('opens a session by id, prefix or suffix, and says clearly when it cannot', () => {
        const a = store.create(init('a'));
        const b = store.create(init('b'));
        a.close();
        b.close();
        expect(store.open(a.id).meta.prompt).to.equal('a');
        expect(store.resolveId(b.id.slice(-8))).to.equal(b.id);
        expect(() => store.resolveId('2099-01-01')).to.throw(/No session "2099-01-01"/);
        const shared = a.id.slice(0, 10);
        expect(() => store.resolveId(shared)).to.throw(/matches several sessions/);
        expect(() => store.resolveId('../etc')).to.throw(/not a session id/);
    });

    it('lists newest first and reports a running task whose process is gone as interrupted', () => {
        const old = store.create(init('old'));
        old.update({ status: 'completed', reason: 'done' });
        old.close();
        const metaFile = path.join(old.dir, 'meta.json');
        const meta = JSON.parse(fs.readFileSync(metaFile, 'utf8'));
        fs.writeFileSync(metaFile, JSON.stringify({ ...meta, createdAt: '2000-01-01T00:00:00.000Z' }));
        const crashed = store.create(init('crashed'));
        crashed.close();
        const crashedMeta = JSON.parse(fs.readFileSync(path.join(crashed.dir, 'meta.json'), 'utf8'));
        // A pid that cannot be alive (above the kernel's pid_max).
        fs.writeFileSync(path.join(crashed.dir, 'meta.json'), JSON.stringify({ ...crashedMeta, pid: 2 ** 30 }));
        fs.mkdirSync(path.join(store.root, 'not-a-session'));
        const list = store.list();
        expect(list.map(m => m.prompt)).to.deep.equal(['crashed', 'old']);
        expect(list[0]).to.include({ status: 'interrupted' });
        expect(list[0].reason).to.include('stopped');
        expect(list[1]).to.include({ status: 'completed' });
    });

    it('keeps events and updates across reopening', () => {
        const s = store.create(init());
        s.log.append({ type: 'user.message', text: 'hi', sessionId: s.id, time: new Date().toISOString() });
        s.update({ status: 'completed', reason: 'the model finished', pid: undefined });
        s.close();
        const again = store.open(s.id);
        expect(again.events().map(e => e.type)).to.deep.equal(['user.message']);
        expect(again.meta.status).to.equal('completed');
        again.close();
    });

    it('deletes a session', () => {
        const s = store.create(init());
        s.close();
        store.delete(s.id);
        expect(fs.existsSync(s.dir)).to.equal(false);
        expect(store.list()).to.deep.equal([]);
    });
});
