import { expect } from 'chai';
import * as fs from 'fs';
import * as path from 'path';
import { GrantSet } from './grants';
import { ToolError } from './tool';
import { writeTool } from './tools/write';
import { readTool } from './tools/read';
import { makeToolBed, ToolBed } from '../test/tool-context';

function refusal(fn: () => unknown): string {
    try {
        fn();
    } catch (e) {
        expect(e).to.be.instanceOf(ToolError);
        return (e as Error).message;
    }
    throw new Error('expected a refusal, got none');
}

async function asyncRefusal(p: Promise<unknown>): Promise<string> {
    try {
        await p;
    } catch (e) {
        expect(e).to.be.instanceOf(ToolError);
        return (e as Error).message;
    }
    throw new Error('expected a refusal, got none');
}

describe('GrantSet', () => {
    let bed: ToolBed;
    beforeEach(() => {
        bed = makeToolBed();
    });
    afterEach(() => {
        GrantSet.afterResolveHook = undefined;
        bed.cleanup();
    });

    it('resolves relative paths against the first grant and accepts absolute paths inside', () => {
        fs.mkdirSync(bed.at('docs'));
        expect(bed.grants.resolve('docs/a.txt', 'write').real).to.equal(bed.at('docs', 'a.txt'));
        expect(bed.grants.resolve(bed.at('docs', 'b.txt'), 'read').real).to.equal(bed.at('docs', 'b.txt'));
        expect(bed.grants.resolve('./docs/../c.txt', 'read').real).to.equal(bed.at('c.txt'));
        expect(bed.grants.resolve('new/deeper/d.txt', 'write').real).to.equal(bed.at('new', 'deeper', 'd.txt'));
    });

    it('refuses `..` escapes and absolute paths outside, naming the grants', () => {
        const msg = refusal(() => bed.grants.resolve('../outside/x.txt', 'read'));
        expect(msg).to.include('outside the granted folders');
        expect(msg).to.include(bed.folder);
        refusal(() => bed.grants.resolve(path.join(bed.outside, 'x.txt'), 'read'));
        refusal(() => bed.grants.resolve('docs/../../outside', 'read'));
        refusal(() => bed.grants.resolve('/etc/passwd', 'read'));
    });

    it('does not mistake a sibling with the same prefix for the grant', () => {
        fs.mkdirSync(bed.folder + '2');
        refusal(() => bed.grants.resolve(path.join(bed.folder + '2', 'x.txt'), 'read'));
    });

    it('refuses a file link that points out of the grant, and says where it leads', () => {
        fs.writeFileSync(path.join(bed.outside, 'secret.txt'), 'secret');
        fs.symlinkSync(path.join(bed.outside, 'secret.txt'), bed.at('innocent.txt'));
        const msg = refusal(() => bed.grants.resolve('innocent.txt', 'read'));
        expect(msg).to.include(`resolves to ${path.join(bed.outside, 'secret.txt')}`);
    });

    it('refuses a folder link out of the grant, for existing and new files under it', () => {
        fs.writeFileSync(path.join(bed.outside, 'secret.txt'), 'secret');
        fs.symlinkSync(bed.outside, bed.at('linked'));
        refusal(() => bed.grants.resolve('linked/secret.txt', 'read'));
        refusal(() => bed.grants.resolve('linked/new.txt', 'write'));
        refusal(() => bed.grants.resolve('linked/a/b/c.txt', 'write'));
    });

    it('follows links that stay inside the grant', () => {
        fs.mkdirSync(bed.at('real'));
        fs.symlinkSync(bed.at('real'), bed.at('alias'));
        expect(bed.grants.resolve('alias/x.txt', 'write').real).to.equal(bed.at('real', 'x.txt'));
    });

    it('refuses a dangling link (its target could be anywhere once created)', () => {
        fs.symlinkSync(path.join(bed.outside, 'not-yet.txt'), bed.at('dangling.txt'));
        expect(refusal(() => bed.grants.resolve('dangling.txt', 'write'))).to.include('missing target');
        fs.symlinkSync(bed.at('also-missing'), bed.at('dangling-inside'));
        expect(refusal(() => bed.grants.resolve('dangling-inside/x.txt', 'write'))).to.include('missing target');
    });

    it('refuses writes in a read-only grant but allows reads', () => {
        const ro = makeToolBed({ extraGrants: [{ name: 'ref', mode: 'ro' }] });
        try {
            const refFile = path.join(ro.root, 'ref', 'a.txt');
            expect(ro.grants.resolve(refFile, 'read').grant.mode).to.equal('ro');
            expect(refusal(() => ro.grants.resolve(refFile, 'write'))).to.include('read-only');
        } finally {
            ro.cleanup();
        }
    });

    it('picks the longest of nested grants, whatever their order', () => {
        const root = bed.root;
        fs.mkdirSync(path.join(root, 'outer', 'inner'), { recursive: true });
        const inner = path.join(root, 'outer', 'inner', 'f.txt');
        const outerOnly = path.join(root, 'outer', 'g.txt');
        for (const specs of [
            [{ path: path.join(root, 'outer'), mode: 'rw' as const }, { path: path.join(root, 'outer', 'inner'), mode: 'ro' as const }],
            [{ path: path.join(root, 'outer', 'inner'), mode: 'ro' as const }, { path: path.join(root, 'outer'), mode: 'rw' as const }]
        ]) {
            const g = GrantSet.create(specs);
            expect(g.resolve(inner, 'read').grant.path).to.equal(path.join(root, 'outer', 'inner'));
            refusal(() => g.resolve(inner, 'write'));
            expect(g.resolve(outerOnly, 'write').grant.path).to.equal(path.join(root, 'outer'));
        }
        const rwInside = GrantSet.create([{ path: path.join(root, 'outer'), mode: 'ro' }, { path: path.join(root, 'outer', 'inner'), mode: 'rw' }]);
        expect(rwInside.resolve(inner, 'write').grant.mode).to.equal('rw');
        refusal(() => rwInside.resolve(outerOnly, 'write'));
    });

    it('rejects a missing or non-folder grant and bad paths with clear messages', () => {
        expect(() => GrantSet.create([{ path: path.join(bed.root, 'nope'), mode: 'rw' }])).to.throw(/does not exist/);
        fs.writeFileSync(path.join(bed.root, 'file'), 'x');
        expect(() => GrantSet.create([{ path: path.join(bed.root, 'file'), mode: 'rw' }])).to.throw(/not a folder/);
        expect(refusal(() => bed.grants.resolve('', 'read'))).to.include('required');
        expect(refusal(() => bed.grants.resolve('a\0b', 'read'))).to.include('NUL');
    });

    it('parses CLI grant specs', () => {
        expect(GrantSet.parseSpec('/data:ro')).to.deep.equal({ path: '/data', mode: 'ro' });
        expect(GrantSet.parseSpec('/data:rw')).to.deep.equal({ path: '/data', mode: 'rw' });
        expect(GrantSet.parseSpec('/data')).to.deep.equal({ path: '/data', mode: 'rw' });
        expect(GrantSet.parseSpec('C:stuff')).to.deep.equal({ path: 'C:stuff', mode: 'rw' });
    });

    it('refuses to pin a granted folder itself', async () => {
        expect(await asyncRefusal(bed.grants.pin(bed.folder, 'write'))).to.include('granted folder itself');
    });

    it('pins a path through its parent folder descriptor', async () => {
        fs.mkdirSync(bed.at('sub'));
        const pinned = await bed.grants.pin('sub/x.txt', 'write');
        try {
            expect(pinned.real).to.equal(bed.at('sub', 'x.txt'));
            expect(pinned.viaFd).to.match(/^\/proc\/self\/fd\/\d+\/x\.txt$/);
            expect(fs.readlinkSync(path.dirname(pinned.viaFd))).to.equal(bed.at('sub'));
        } finally {
            pinned.release();
        }
    });

    describe('a folder swapped for a link between check and use', () => {
        function swapForLink(dir: string, target: string): void {
            fs.renameSync(dir, dir + '.moved');
            fs.symlinkSync(target, dir);
        }

        it('is refused when the parent itself became a link', async () => {
            fs.mkdirSync(bed.at('sub'));
            GrantSet.afterResolveHook = real => swapForLink(path.dirname(real), bed.outside);
            const msg = await asyncRefusal(bed.grants.pin('sub/x.txt', 'write'));
            expect(msg).to.include('changed into a link');
        });

        it('is refused when a folder higher up became a link', async () => {
            fs.mkdirSync(bed.at('a', 'b'), { recursive: true });
            fs.mkdirSync(path.join(bed.outside, 'b'));
            GrantSet.afterResolveHook = () => swapForLink(bed.at('a'), bed.outside);
            const msg = await asyncRefusal(bed.grants.pin('a/b/x.txt', 'write'));
            expect(msg).to.include('moved outside the granted folders');
        });

        it('never lets Write or Read reach the outside target', async () => {
            fs.mkdirSync(bed.at('sub'));
            fs.writeFileSync(path.join(bed.outside, 'x.txt'), 'outside original');
            GrantSet.afterResolveHook = real => swapForLink(path.dirname(real), bed.outside);
            await asyncRefusal(writeTool.run({ file_path: bed.at('sub', 'x.txt'), content: 'pwned' }, bed.ctx()));
            expect(fs.readFileSync(path.join(bed.outside, 'x.txt'), 'utf8')).to.equal('outside original');
            expect(fs.readdirSync(bed.outside)).to.deep.equal(['x.txt']);

            // Read: put the folder back, then swap again during the read.
            fs.rmSync(bed.at('sub'));
            fs.renameSync(bed.at('sub.moved'), bed.at('sub'));
            fs.writeFileSync(bed.at('sub', 'x.txt'), 'inside');
            await asyncRefusal(readTool.run({ file_path: bed.at('sub', 'x.txt') }, bed.ctx()));
        });
    });
});
