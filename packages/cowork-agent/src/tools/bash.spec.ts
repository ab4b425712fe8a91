import { expect } from 'chai';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import { LinuxSandbox, UnsandboxedRunner } from '@cowork/vm';
import { binaryBytes, makeToolBed, ToolBed } from '../../test/tool-context';
import { createBashTool } from './bash';

describe('Bash tool (through the sandbox)', function () {
    this.timeout(60_000);
    const bash = createBashTool({ sandbox: new LinuxSandbox() });
    let bed: ToolBed;

    beforeEach(() => {
        bed = makeToolBed({ extraGrants: [{ name: 'reference', mode: 'ro' }] });
        fs.writeFileSync(bed.at('notes.txt'), 'first line\n');
        fs.writeFileSync(bed.at('data.bin'), binaryBytes(5000));
        fs.mkdirSync(bed.at('reports'));
        fs.writeFileSync(bed.at('reports', 'q1.txt'), 'Q1');
        fs.writeFileSync(bed.at('reports', 'q2.txt'), 'Q2');
    });
    afterEach(() => bed.cleanup());

    const run = (command: string, extra: { timeout?: number } = {}) => bash.run({ command, ...extra }, bed.ctx('toolu_bash'));
    const text = (r: { content: unknown }) => String(r.content);

    it('applies new files through the journal without asking, and undo removes them', async () => {
        const r = await run('mkdir -p out && printf "a,b\\n1,2\\n" > out/table.csv && echo made');
        expect(text(r)).to.include('made');
        expect(text(r)).to.include(`Created: ${bed.at('out', 'table.csv')}`);
        expect(bed.asked).to.have.length(0);
        expect(fs.readFileSync(bed.at('out', 'table.csv'), 'utf8')).to.equal('a,b\n1,2\n');
        expect(bed.eventsOf('file.changed').map(e => [e.path, e.change])).to.deep.equal([[bed.at('out', 'table.csv'), 'created']]);
        await bed.journal.undo();
        expect(fs.existsSync(bed.at('out', 'table.csv'))).to.equal(false);
    });

    it('streams output as tool.output events', async () => {
        await run('echo to-stdout; echo to-stderr >&2');
        const outputs = bed.eventsOf('tool.output');
        expect(outputs.every(e => e.toolUseId === 'toolu_bash')).to.equal(true);
        expect(outputs.filter(e => e.stream === 'stdout').map(e => e.text).join('')).to.equal('to-stdout\n');
        expect(outputs.filter(e => e.stream === 'stderr').map(e => e.text).join('')).to.equal('to-stderr\n');
    });

    it('rm of a granted file with the gate denying leaves it intact and tells the model', async () => {
        bed.answer = { allowed: false, by: 'user' };
        const r = await run('rm notes.txt data.bin');
        expect(bed.asked).to.have.length(1);
        expect(bed.asked[0]).to.deep.include({ tool: 'Bash', action: 'shell-delete' });
        expect([...bed.asked[0].paths].sort()).to.deep.equal([bed.at('data.bin'), bed.at('notes.txt')]);
        expect(fs.readFileSync(bed.at('notes.txt'), 'utf8')).to.equal('first line\n');
        expect(fs.readFileSync(bed.at('data.bin')).equals(binaryBytes(5000))).to.equal(true);
        expect(text(r)).to.include('NOT applied');
        expect(text(r)).to.include(`delete ${bed.at('notes.txt')}: not allowed`);
        expect(bed.eventsOf('file.changed')).to.have.length(0);
    });

    it('rm -rf of a granted folder never destroys a file without an Allow', async () => {
        bed.answer = { allowed: false, by: 'user' };
        await run('rm -rf ./*');
        expect(fs.readFileSync(bed.at('reports', 'q1.txt'), 'utf8')).to.equal('Q1');
        expect(fs.readdirSync(bed.folder).sort()).to.deep.equal(['data.bin', 'notes.txt', 'reports']);
    });

    it('with an Allow the file is gone, and journal undo restores it byte-identical', async () => {
        const r = await run('rm data.bin && rm -r reports');
        expect(bed.asked[0].sizes?.slice().sort((a, b) => a - b)).to.deep.equal([4, 5000]);
        expect(fs.existsSync(bed.at('data.bin'))).to.equal(false);
        expect(fs.existsSync(bed.at('reports'))).to.equal(false);
        expect(text(r)).to.include('Deleted (kept in the journal)');
        expect(bed.eventsOf('file.changed').map(e => e.change)).to.deep.equal(['deleted', 'deleted']);
        const undo = await bed.journal.undo();
        expect(undo.conflicts).to.deep.equal([]);
        expect(fs.readFileSync(bed.at('data.bin')).equals(binaryBytes(5000))).to.equal(true);
        expect(fs.readFileSync(bed.at('reports', 'q2.txt'), 'utf8')).to.equal('Q2');
    });

    it('a Python script that rewrites a workbook (openpyxl) asks, applies, and is undoable', async () => {
        execFileSync('/usr/bin/python3', ['-c', `import openpyxl
wb = openpyxl.Workbook(); ws = wb.active; ws["A1"] = "total"; ws["B1"] = 10; wb.save(${JSON.stringify(bed.at('book.xlsx'))})`]);
        const original = fs.readFileSync(bed.at('book.xlsx'));
        const r = await run(`python3 -c "import openpyxl; wb = openpyxl.load_workbook('book.xlsx'); wb.active['B1'] = 99; wb.active['B2'] = '=B1*2'; wb.save('book.xlsx'); print('saved')"`);
        expect(text(r)).to.include('saved');
        expect(bed.asked.map(a => a.action)).to.deep.equal(['shell-overwrite']);
        expect(fs.readFileSync(bed.at('book.xlsx')).equals(original)).to.equal(false);
        const check = execFileSync('/usr/bin/python3', ['-c', `import openpyxl; print(openpyxl.load_workbook(${JSON.stringify(bed.at('book.xlsx'))}).active['B1'].value)`], { encoding: 'utf8' });
        expect(check.trim()).to.equal('99');
        expect(bed.eventsOf('file.changed').map(e => e.change)).to.deep.equal(['modified']);
        await bed.journal.undo();
        expect(fs.readFileSync(bed.at('book.xlsx')).equals(original)).to.equal(true);
    });

    it('a file replaced by a folder of the same name: the delete is asked, then the folder made', async () => {
        const r = await run('rm notes.txt && mkdir notes.txt && echo inside > notes.txt/inside.txt');
        expect(bed.asked.map(a => a.action)).to.deep.equal(['shell-delete']);
        expect(fs.readFileSync(bed.at('notes.txt', 'inside.txt'), 'utf8')).to.equal('inside\n');
        expect(text(r)).to.not.include('NOT applied');
    });

    it('an overwrite denied keeps the old content', async () => {
        bed.answer = { allowed: false, by: 'user' };
        const r = await run('echo replaced > notes.txt; echo new > fresh.txt');
        expect(fs.readFileSync(bed.at('notes.txt'), 'utf8')).to.equal('first line\n');
        expect(fs.readFileSync(bed.at('fresh.txt'), 'utf8')).to.equal('new\n');
        expect(text(r)).to.include(`overwrite ${bed.at('notes.txt')}: not allowed`);
    });

    it('cannot write the read-only grant', async () => {
        const ro = bed.grants.grants[1].path;
        const r = await run(`echo x > ${ro}/planted.txt`);
        expect(r.isError).to.equal(true);
        expect(text(r)).to.include('Read-only file system');
        expect(fs.existsSync(`${ro}/planted.txt`)).to.equal(false);
    });

    it('reports a failing command as an error with its exit code', async () => {
        const r = await run('echo oops >&2; exit 3');
        expect(r.isError).to.equal(true);
        expect(text(r)).to.include('[stderr]\noops');
        expect(text(r)).to.include('Exit code 3');
    });

    it('shortens long output for the model and keeps the whole in fullText', async () => {
        const r = await run('seq 1 20000');
        expect(text(r).length).to.be.lessThan(31_000);
        expect(text(r)).to.match(/characters \(\d+ lines\) left out here; the full text is kept in the session log/);
        expect(r.fullText).to.include('\n19999\n20000');
        expect(text(r)).to.include('\n20000');
    });

    it('a timeout kills the whole process tree', async () => {
        const r = await run('sleep 30 & sleep 31', { timeout: 1000 });
        expect(r.isError).to.equal(true);
        expect(text(r)).to.match(/ran longer than 1 s and was killed/);
    });

    it('cancellation kills the command and applies nothing it wrote', async () => {
        setTimeout(() => bed.controller.abort(), 700);
        const r = await run('echo partial > partial.txt; sleep 30');
        expect(text(r)).to.include('cancelled');
        expect(fs.existsSync(bed.at('partial.txt'))).to.equal(false);
    });

    it('never passes the host environment (API keys) to the command', async () => {
        process.env.ANTHROPIC_API_KEY = 'sk-ant-bash-tool-secret';
        try {
            const r = await run('env');
            expect(text(r)).to.include('HOME=');
            expect(text(r)).to.not.include('sk-ant-bash-tool-secret');
        } finally {
            delete process.env.ANTHROPIC_API_KEY;
        }
    });

    it('says so in every result when running unsandboxed was explicitly allowed', async () => {
        const unsandboxed = createBashTool({ sandbox: new UnsandboxedRunner() });
        const r = await unsandboxed.run({ command: 'echo hi' }, bed.ctx());
        expect(text(r)).to.include('hi');
        expect(text(r)).to.include('WITHOUT a sandbox');
    });
});
