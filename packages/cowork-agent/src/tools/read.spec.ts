import { expect } from 'chai';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { readTool } from './read';
import type { ToolResult } from '../tool';
import { binaryBytes, makeToolBed, ToolBed } from '../../test/tool-context';

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), binaryBytes(300)]);

describe('Read tool', () => {
    let bed: ToolBed;
    beforeEach(() => { bed = makeToolBed(); });
    afterEach(() => bed.cleanup());

    const read = (input: { file_path: string; offset?: number; limit?: number }): Promise<ToolResult> => readTool.run(input, bed.ctx());
    const failure = async (input: { file_path: string }) => {
        try {
            const r = await read(input);
            expect(r.isError, 'an error result').to.equal(true);
            return r.content as string;
        } catch (e) {
            return (e as Error).message;
        }
    };

    it('numbers lines like cat -n', async () => {
        fs.writeFileSync(bed.at('notes.txt'), 'alpha\nbeta\n\tgamma\n');
        const r = await read({ file_path: bed.at('notes.txt') });
        expect(r.isError).to.not.equal(true);
        expect(r.content).to.equal('     1\talpha\n     2\tbeta\n     3\t\tgamma');
    });

    it('reads a window with offset and limit, and says how to read on', async () => {
        fs.writeFileSync(bed.at('long.txt'), Array.from({ length: 10 }, (_, i) => `line ${i + 1}`).join('\n'));
        const r = await read({ file_path: bed.at('long.txt'), offset: 4, limit: 2 });
        expect(r.content).to.equal('     4\tline 4\n     5\tline 5\n... 5 more lines (read on with offset=6)');
        const past = await read({ file_path: bed.at('long.txt'), offset: 50 });
        expect(past.content).to.include('has 10 lines; offset 50 is past the end');
    });

    it('cuts very long lines', async () => {
        fs.writeFileSync(bed.at('wide.txt'), 'x'.repeat(5000));
        const r = await read({ file_path: bed.at('wide.txt') });
        expect(r.content).to.match(/^ {5}1\tx{2000} \[line cut\]$/);
    });

    it('says an empty file is empty', async () => {
        fs.writeFileSync(bed.at('empty.txt'), '');
        expect((await read({ file_path: bed.at('empty.txt') })).content).to.equal(`(${bed.at('empty.txt')} is empty)`);
    });

    it('refuses binary files, naming their type and size', async () => {
        fs.writeFileSync(bed.at('blob.dat'), binaryBytes(3000));
        const blob = await read({ file_path: bed.at('blob.dat') });
        expect(blob.isError).to.equal(true);
        expect(blob.content).to.include('binary data').and.include('2.9 KiB');
        fs.writeFileSync(bed.at('doc.pdf'), Buffer.concat([Buffer.from('%PDF-1.7\n'), binaryBytes(500)]));
        const pdf = await read({ file_path: bed.at('doc.pdf') });
        expect(pdf.isError).to.equal(true);
        expect(pdf.content).to.include('PDF document').and.include('509 B').and.include('ReadDocument');
    });

    it('returns an image as an image block', async () => {
        fs.writeFileSync(bed.at('chart.png'), PNG);
        const r = await read({ file_path: bed.at('chart.png') });
        expect(r.isError).to.not.equal(true);
        expect(r.content).to.deep.equal([{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG.toString('base64') } }]);
    });

    it('refuses to read a huge text file whole, but reads a part of it', async function () {
        this.timeout(20_000);
        const line = 'a fairly ordinary line of text in a big log file\n';
        fs.writeFileSync(bed.at('huge.log'), line.repeat(Math.ceil(10.5 * 1024 * 1024 / line.length)));
        const whole = await read({ file_path: bed.at('huge.log') });
        expect(whole.isError).to.equal(true);
        expect(whole.content).to.include('too large').and.include('MiB').and.include('offset and limit');
        const part = await read({ file_path: bed.at('huge.log'), offset: 1000, limit: 1 });
        expect(part.content).to.match(/^ {2}1000\ta fairly ordinary line/);
    });

    it('refuses a named pipe at once instead of waiting for a writer', async () => {
        execFileSync('mkfifo', [bed.at('pipe')]);
        expect(await failure({ file_path: bed.at('pipe') })).to.include('not a regular file');
    });

    it('says clearly when the file is missing or a folder', async () => {
        expect(await failure({ file_path: bed.at('nope.txt') })).to.include('does not exist');
        fs.mkdirSync(bed.at('dir'));
        expect(await failure({ file_path: bed.at('dir') })).to.include('is a folder');
    });

    it('refuses files outside the grants, directly or through a link', async () => {
        fs.writeFileSync(path.join(bed.outside, 'secret.txt'), 'TOP SECRET');
        fs.symlinkSync(path.join(bed.outside, 'secret.txt'), bed.at('link.txt'));
        for (const p of [path.join(bed.outside, 'secret.txt'), bed.at('link.txt'), bed.at('..', 'outside', 'secret.txt')]) {
            const msg = await failure({ file_path: p });
            expect(msg).to.include('outside the granted folders');
            expect(msg).to.not.include('TOP SECRET');
        }
    });
});
