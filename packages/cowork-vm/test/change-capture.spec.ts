import { expect } from 'chai';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { sandbox, tempDir } from './sandbox-fixture';

describe('change capture (overlayfs over read-write grants)', function () {
    this.timeout(30_000);
    let grant: string;

    beforeEach(() => {
        grant = tempDir('capture');
        fs.writeFileSync(path.join(grant, 'a.txt'), 'hello');
        fs.writeFileSync(path.join(grant, 'b.txt'), 'keep me');
        fs.writeFileSync(path.join(grant, 'same.txt'), 'unchanged');
        fs.mkdirSync(path.join(grant, 'd'));
        fs.writeFileSync(path.join(grant, 'd', 'x.txt'), 'x');
        fs.mkdirSync(path.join(grant, 'e'));
        fs.writeFileSync(path.join(grant, 'e', 'old.txt'), 'old');
    });
    afterEach(() => fs.rmSync(grant, { recursive: true, force: true }));

    const run = (command: string) => sandbox.run({ command, cwd: grant, grants: [{ path: grant, mode: 'rw' }] });
    const summary = (changes: readonly { path: string; kind: string; type: string }[]) =>
        changes.map(c => `${c.kind} ${c.type} ${path.relative(grant, c.path)}`).sort();

    it('reports creations, modifications and deletions without touching the folder', async () => {
        const r = await run('echo changed > a.txt; rm b.txt; rm -r d; mkdir -p new/sub; echo n > new/sub/n.txt; cat same.txt > /dev/null; touch -c same.txt');
        try {
            expect(summary(r.changes.changes)).to.deep.equal([
                'created dir new', 'created dir new/sub', 'created file new/sub/n.txt',
                'deleted dir d', 'deleted file b.txt', 'modified file a.txt'
            ]);
            expect(fs.readFileSync(path.join(grant, 'a.txt'), 'utf8')).to.equal('hello');
            expect(fs.existsSync(path.join(grant, 'b.txt'))).to.equal(true);
            expect(fs.existsSync(path.join(grant, 'new'))).to.equal(false);
        } finally {
            r.changes.discard();
        }
    });

    it('a folder removed and made again (an opaque dir) reports its old children as deleted', async () => {
        const r = await run('rm -r e && mkdir e && echo y > e/y.txt');
        try {
            expect(summary(r.changes.changes)).to.deep.equal(['created file e/y.txt', 'deleted file e/old.txt']);
        } finally {
            r.changes.discard();
        }
    });

    it('a file replaced by a folder is a deletion plus a creation', async () => {
        const r = await run('rm a.txt && mkdir a.txt && echo z > a.txt/z');
        try {
            expect(summary(r.changes.changes)).to.deep.equal(['created dir a.txt', 'created file a.txt/z', 'deleted file a.txt']);
        } finally {
            r.changes.discard();
        }
    });

    it('apply() carries the selected changes into the folder; discard() drops the rest', async () => {
        const r = await run('echo changed > a.txt; rm b.txt; echo n > n.txt; chmod +x n.txt');
        const report = r.changes.apply(c => c.kind !== 'deleted');
        r.changes.discard();
        expect(report.applied.map(c => path.basename(c.path)).sort()).to.deep.equal(['a.txt', 'n.txt']);
        expect(fs.readFileSync(path.join(grant, 'a.txt'), 'utf8')).to.equal('changed\n');
        expect(fs.statSync(path.join(grant, 'n.txt')).mode & 0o111).to.not.equal(0);
        expect(fs.readFileSync(path.join(grant, 'b.txt'), 'utf8')).to.equal('keep me');
        expect(() => r.changes.apply()).to.throw(/discarded/);
    });

    it('links made in the sandbox are reported but never applied', async () => {
        const r = await run('ln -s /etc/passwd link');
        const report = r.changes.apply();
        r.changes.discard();
        expect(report.skipped.map(s => s.reason).join()).to.include('not carried out');
        expect(fs.existsSync(path.join(grant, 'link'))).to.equal(false);
    });

    it('a nested read-only grant stays read-only inside a read-write one', async () => {
        const ro = path.join(grant, 'd');
        const r = await sandbox.run({ command: 'echo no > d/x.txt; echo yes > a.txt', cwd: grant, grants: [{ path: grant, mode: 'rw' }, { path: ro, mode: 'ro' }] });
        try {
            expect(r.stderr).to.include('Read-only');
            expect(summary(r.changes.changes)).to.deep.equal(['modified file a.txt']);
        } finally {
            r.changes.discard();
        }
    });

    it('works for grant and folder names with spaces, commas and colons', async () => {
        const odd = path.join(grant, 'My Files, 2026: final');
        fs.mkdirSync(path.join(odd, 'Q1 report'), { recursive: true });
        fs.writeFileSync(path.join(odd, 'Q1 report', 'old, draft.txt'), 'old');
        const r = await sandbox.run({ command: "rm -r 'Q1 report' && mkdir 'Q1 report' && echo new > 'Q1 report/new, final.txt'", cwd: odd, grants: [{ path: odd, mode: 'rw' }] });
        try {
            expect(r.exitCode, r.stderr).to.equal(0);
            expect(r.changes.changes.map(c => `${c.kind} ${path.relative(odd, c.path)}`).sort()).to.deep.equal([
                'created Q1 report/new, final.txt', 'deleted Q1 report/old, draft.txt'
            ]);
        } finally {
            r.changes.discard();
        }
    });

    it('runs a command longer than one argument may be (a 300 KB heredoc)', async () => {
        const body = 'x'.repeat(99) + '\n';
        const text = body.repeat(3000);
        const r = await run(`cat > big.txt <<'EOF'\n${text}EOF\nwc -c < big.txt`);
        try {
            expect(r.stdout.trim(), r.stderr).to.equal(String(text.length));
            expect(r.changes.changes.map(c => path.basename(c.path))).to.deep.equal(['big.txt']);
        } finally {
            r.changes.discard();
        }
    });

    it('a command with no writes leaves no staging folder behind', async () => {
        const r = await run('cat a.txt');
        expect(r.stdout).to.equal('hello');
        expect(r.changes.isEmpty).to.equal(true);
    });

    it('refuses bad requests with a message naming the field', async () => {
        for (const [req, msg] of [
            [{ command: '', cwd: grant, grants: [] }, /command/],
            [{ command: 'true', cwd: '/etc', grants: [{ path: grant, mode: 'rw' }] }, /cwd: \/etc is outside/],
            [{ command: 'true', cwd: grant, grants: [{ path: path.join(grant, 'missing'), mode: 'rw' }] }, /grants\[0\].*does not exist/],
            [{ command: 'true', cwd: '/', grants: [{ path: '/', mode: 'rw' }] }, /system folder/],
            [{ command: 'true', cwd: os.tmpdir(), grants: [{ path: os.tmpdir(), mode: 'rw' }] }, /contains the sandbox's staging folder/],
            [{ command: 'true', cwd: grant, grants: [{ path: grant, mode: 'rw' }], limits: { cpuSeconds: -1 } }, /limits.cpuSeconds/]
        ] as const) {
            let error: Error | undefined;
            try {
                await sandbox.run(req as never);
            } catch (e) {
                error = e as Error;
            }
            expect(error?.message).to.match(msg);
        }
    });
});
