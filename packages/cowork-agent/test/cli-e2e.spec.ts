import { expect } from 'chai';
import * as fs from 'fs';
import * as path from 'path';
import { errors, response, startScriptedModelServer, text, toolUse, truncatedToolUse, cutStream, ScriptedModelServer } from '../src/testing';
import { EventLog } from '../src/session/event-log';
import { cliEnv, eventsOf, runCli, startCli, tempPlace } from './cli-harness';

describe('cowork CLI end to end (real SDK, scripted model server)', function () {
    this.timeout(60_000);
    let place: ReturnType<typeof tempPlace>;
    let server: ScriptedModelServer | undefined;

    beforeEach(() => {
        place = tempPlace();
    });
    afterEach(async () => {
        await server?.close();
        server = undefined;
        place.cleanup();
    });

    function lastToolResults(index: number): { text: string; isError: boolean }[] {
        const req = server!.messageRequests[index].body!;
        const last = req.messages[req.messages.length - 1];
        return (last.content as { type: string; content?: unknown; is_error?: boolean }[])
            .filter(b => b.type === 'tool_result')
            .map(b => ({ text: typeof b.content === 'string' ? b.content : JSON.stringify(b.content), isError: !!b.is_error }));
    }

    it('turns a folder of receipts into a report (Glob, Read, Write)', async () => {
        const receipts = path.join(place.folder, 'receipts');
        fs.mkdirSync(receipts);
        fs.writeFileSync(path.join(receipts, 'taxi.txt'), 'Taxi to airport\nTotal: 42.50 EUR\n');
        fs.writeFileSync(path.join(receipts, 'lunch.txt'), 'Lunch with client\nTotal: 18.00 EUR\n');
        const report = path.join(place.folder, 'report.md');
        server = await startScriptedModelServer([
            [text('I will plan first.'), toolUse('TodoWrite', { todos: [
                { content: 'Find the receipts', status: 'in_progress', activeForm: 'Finding the receipts' },
                { content: 'Write the report', status: 'pending', activeForm: 'Writing the report' }] })],
            toolUse('Glob', { pattern: 'receipts/*.txt', path: place.folder }),
            (_req, ctx) => {
                const files = ctx.toolResults[0].text.split('\n').filter(Boolean);
                return files.map(f => toolUse('Read', { file_path: f }));
            },
            (_req, ctx) => {
                const totals = ctx.toolResults.map(r => Number(/Total: ([\d.]+)/.exec(r.text)![1]));
                const sum = totals.reduce((a, b) => a + b, 0).toFixed(2);
                return toolUse('Write', { file_path: report, content: `# Expenses\n\n${ctx.toolResults.length} receipts, total ${sum} EUR\n` });
            },
            text('The report is in report.md.')
        ]);
        const run = await runCli(['run', '--json', '--folder', place.folder, 'Turn my receipts into a report'], cliEnv(server.url, place.data));
        expect(run.stderr).to.equal('');
        expect(run.code).to.equal(0);
        expect(fs.readFileSync(report, 'utf8')).to.equal('# Expenses\n\n2 receipts, total 60.50 EUR\n');
        const types = run.events.map(e => e.type);
        expect(types[0]).to.equal('task.started');
        expect(types).to.include.members(['text.delta', 'plan.updated', 'tool.started', 'tool.finished', 'file.changed', 'task.finished']);
        for (const e of run.events) {
            expect(e.sessionId).to.be.a('string').and.not.empty;
            expect(Date.parse(e.time)).to.not.be.NaN;
        }
        expect(eventsOf(run.events, 'file.changed')[0]).to.include({ path: fs.realpathSync(report), change: 'created' });
        expect(eventsOf(run.events, 'task.finished')[0]).to.include({ status: 'completed' });
        expect(eventsOf(run.events, 'tool.finished').every(e => !e.isError)).to.equal(true);
        // The session folder and its files are private, and the API key is nowhere in it.
        const sessionDir = path.join(place.data, 'sessions', run.events[0].sessionId);
        expect(fs.statSync(sessionDir).mode & 0o777).to.equal(0o700);
        expect(fs.statSync(path.join(sessionDir, 'events.jsonl')).mode & 0o777).to.equal(0o600);
        expect(fs.readFileSync(path.join(sessionDir, 'events.jsonl'), 'utf8')).to.not.include('sk-ant-test-key');
    });

    it('denies a Delete when there is no terminal to ask, and the file is intact', async () => {
        const victim = path.join(place.folder, 'keep.txt');
        fs.writeFileSync(victim, 'precious');
        server = await startScriptedModelServer([toolUse('Delete', { paths: [victim] }), text('Could not delete.')]);
        const run = await runCli(['run', '--json', '--folder', place.folder, 'delete keep.txt'], cliEnv(server.url, place.data));
        expect(run.code).to.equal(0);
        expect(fs.readFileSync(victim, 'utf8')).to.equal('precious');
        expect(eventsOf(run.events, 'permission.requested')[0]).to.deep.include({ action: 'delete', paths: [fs.realpathSync(victim)] });
        expect(eventsOf(run.events, 'permission.resolved')[0]).to.include({ allowed: false, by: 'no-tty' });
        expect(run.stderr).to.include('--allow-delete');
        expect(lastToolResults(1)[0]).to.deep.include({ isError: true });
        expect(lastToolResults(1)[0].text).to.include('not allowed');
    });

    it('deletes with --allow-delete, and `cowork undo` brings the file back byte-identical', async () => {
        const victim = path.join(place.folder, 'photo.bin');
        const bytes = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7) % 256));
        fs.writeFileSync(victim, bytes);
        fs.chmodSync(victim, 0o640);
        server = await startScriptedModelServer([toolUse('Delete', { paths: [victim] }), text('Deleted.')]);
        const env = cliEnv(server.url, place.data);
        const run = await runCli(['run', '--json', '--allow-delete', '--folder', place.folder, 'delete photo.bin'], env);
        expect(run.code).to.equal(0);
        expect(fs.existsSync(victim)).to.equal(false);
        expect(eventsOf(run.events, 'permission.resolved')[0]).to.include({ allowed: true, by: 'flag' });
        expect(eventsOf(run.events, 'file.changed')[0]).to.include({ change: 'deleted' });
        const undo = await runCli(['undo', run.events[0].sessionId], env);
        expect(undo.code).to.equal(0);
        expect(undo.stdout).to.include('restored');
        expect(fs.readFileSync(victim).equals(bytes)).to.equal(true);
        expect(fs.statSync(victim).mode & 0o777).to.equal(0o640);
        const again = await runCli(['undo', run.events[0].sessionId], env);
        expect(again.stdout).to.include('Nothing to undo');
    });

    it('retries a 529 and then succeeds', async () => {
        server = await startScriptedModelServer([errors.overloaded(0), text('Done after a retry.')]);
        const run = await runCli(['run', '--json', '--folder', place.folder, 'hello'], cliEnv(server.url, place.data));
        expect(run.code).to.equal(0);
        expect(server.messageRequests).to.have.length(2);
        expect(eventsOf(run.events, 'model.retry')).to.have.length(1);
        expect(eventsOf(run.events, 'model.retry')[0]).to.include({ status: 529 });
        expect(run.events.filter(e => e.type === 'text.delta').map(e => (e as { text: string }).text).join('')).to.equal('Done after a retry.');
    });

    it('fails clearly when the stream is cut mid-answer, and the log still parses', async () => {
        server = await startScriptedModelServer([cutStream(4, text('This is a long answer that the network will cut off before it ends, sadly.'))]);
        const env = cliEnv(server.url, place.data);
        const run = await runCli(['run', '--json', '--folder', place.folder, 'hello'], env);
        expect(run.code).to.equal(1);
        const finished = eventsOf(run.events, 'task.finished')[0];
        expect(finished.status).to.equal('failed');
        expect(finished.reason).to.match(/stream|connection|ended/i);
        expect(finished.reason).to.not.match(/\n\s+at /);
        const file = path.join(place.data, 'sessions', run.events[0].sessionId, 'events.jsonl');
        const logged = EventLog.read(file);
        expect(logged.length).to.equal(fs.readFileSync(file, 'utf8').trim().split('\n').length);
        expect(logged[logged.length - 1].type).to.equal('task.finished');
        const shown = await runCli(['show', run.events[0].sessionId], env);
        expect(shown.code).to.equal(0);
        expect(shown.stdout).to.include('failed');
    });

    it('refuses a symlink that points out of the grant', async () => {
        const outside = path.join(place.root, 'secret.txt');
        fs.writeFileSync(outside, 'TOP SECRET');
        const link = path.join(place.folder, 'innocent.txt');
        fs.symlinkSync(outside, link);
        server = await startScriptedModelServer([
            [toolUse('Read', { file_path: link }), toolUse('Write', { file_path: path.join(place.folder, 'innocent.txt'), content: 'x' })],
            text('ok')
        ]);
        const run = await runCli(['run', '--json', '--allow-overwrite', '--folder', place.folder, 'read it'], cliEnv(server.url, place.data));
        expect(run.code).to.equal(0);
        const results = lastToolResults(1);
        expect(results[0].isError).to.equal(true);
        expect(results[0].text).to.include('outside the granted folders');
        expect(results[1].isError).to.equal(true);
        expect(JSON.stringify(server.messageRequests.map(r => r.rawBody))).to.not.include('TOP SECRET');
        expect(fs.readFileSync(outside, 'utf8')).to.equal('TOP SECRET');
    });

    it('returns malformed tool calls to the model as errors it can correct', async () => {
        server = await startScriptedModelServer([
            [toolUse('Read', { path: '/x' }), toolUse('NoSuchTool', {}), toolUse('Write', { file_path: 7, content: 'x' })],
            response([text('Let me write a big file.'), truncatedToolUse('Write', '{"file_path": "/tmp/a.txt", "content": "abc')], { stopReason: 'max_tokens' }),
            toolUse('Write', { file_path: path.join(place.folder, 'fixed.txt'), content: 'fixed' }),
            text('Fixed.')
        ]);
        const run = await runCli(['run', '--json', '--folder', place.folder, 'go'], cliEnv(server.url, place.data));
        expect(run.code).to.equal(0);
        const first = lastToolResults(1);
        expect(first.map(r => r.isError)).to.deep.equal([true, true, true]);
        expect(first[0].text).to.match(/Invalid input for Read.*file_path/);
        expect(first[1].text).to.include('Unknown tool "NoSuchTool"');
        expect(first[2].text).to.match(/Invalid input for Write.*file_path/);
        const second = lastToolResults(2);
        expect(second[0].isError).to.equal(true);
        expect(second[0].text).to.include('cut off');
        expect(fs.existsSync('/tmp/a.txt') && fs.readFileSync('/tmp/a.txt', 'utf8') === 'abc').to.equal(false);
        expect(fs.readFileSync(path.join(place.folder, 'fixed.txt'), 'utf8')).to.equal('fixed');
    });

    it('ends cleanly on SIGINT with task.finished {status: cancelled}', async () => {
        server = await startScriptedModelServer([
            toolUse('Glob', { pattern: '*' }),
            response(text('This will never arrive in time.'), { delayMs: 20_000 })
        ]);
        const cli = startCli(['run', '--json', '--folder', place.folder, 'slow'], cliEnv(server.url, place.data));
        cli.onEvent(e => {
            if (e.type === 'tool.finished') {
                setTimeout(() => cli.child.kill('SIGINT'), 200);
            }
        });
        const run = await cli.result;
        expect(run.code).to.equal(130);
        const last = run.events[run.events.length - 1];
        expect(last).to.include({ type: 'task.finished', status: 'cancelled' });
        const list = await runCli(['sessions', '--json'], cliEnv(server.url, place.data));
        expect(JSON.parse(list.stdout)[0]).to.include({ status: 'cancelled' });
    });

    it('resumes a task from its log with the whole conversation', async () => {
        const notes = path.join(place.folder, 'notes.txt');
        fs.writeFileSync(notes, 'alpha\n');
        server = await startScriptedModelServer([
            toolUse('Read', { file_path: notes }),
            text('The notes say alpha.'),
            (req) => {
                const first = req.messages[0];
                const firstText = JSON.stringify(first.content);
                return toolUse('Edit', { file_path: notes, old_string: 'alpha', new_string: firstText.includes('summarise') ? 'beta' : 'lost-history' });
            },
            text('Changed alpha to beta.')
        ]);
        const env = cliEnv(server.url, place.data);
        const first = await runCli(['run', '--json', '--folder', place.folder, 'summarise notes.txt'], env);
        expect(first.code).to.equal(0);
        const id = first.events[0].sessionId;
        const second = await runCli(['resume', '--json', id, 'now change alpha to beta'], env);
        expect(second.code).to.equal(0);
        expect(second.events[0]).to.include({ type: 'task.started', sessionId: id, resumed: true });
        expect(fs.readFileSync(notes, 'utf8')).to.equal('beta\n');
        const resumedRequest = server.messageRequests[2].body!;
        expect(resumedRequest.messages.map(m => m.role)).to.deep.equal(['user', 'assistant', 'user', 'assistant', 'user']);
        expect(JSON.stringify(resumedRequest.messages[4].content)).to.include('now change alpha to beta');
    });
});
