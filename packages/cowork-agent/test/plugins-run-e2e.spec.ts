import { expect } from 'chai';
import * as fs from 'fs';
import * as path from 'path';
import { startScriptedModelServer, text, toolUse, ScriptedModelServer } from '../src/testing';
import { cliEnv, eventsOf, runCli, tempPlace } from './cli-harness';

describe('plugins through `cowork run` (bundled plugins, real CLI)', function () {
    this.timeout(60_000);
    let place: ReturnType<typeof tempPlace>;
    let server: ScriptedModelServer | undefined;

    beforeEach(() => {
        place = tempPlace();
    });
    afterEach(async () => {
        await server?.close();
        place.cleanup();
    });

    it('expands a slash command, lists skills in the system prompt and loads a skill body on demand', async () => {
        server = await startScriptedModelServer([
            req => {
                const first = JSON.stringify(req.messages[0].content);
                expect(first).to.include('productivity:daily-notes').and.include('buy milk').and.not.include('$ARGUMENTS');
                return toolUse('Skill', { skill: 'productivity:daily-notes' });
            },
            (_req, ctx) => text(ctx.toolResults[0].isError ? 'skill failed' : 'Loaded the skill.')
        ]);
        const run = await runCli(['run', '--json', '--folder', place.folder, '/productivity:today buy milk'], cliEnv(server.url, place.data));
        expect(run.code, run.stderr).to.equal(0);
        const system = JSON.stringify(server.messageRequests[0].body!.system);
        expect(system).to.include('finance:expense-report');
        // Progressive disclosure: skill bodies are not in the first request, only names and descriptions.
        const skillResult = eventsOf(run.events, 'tool.finished').find(e => e.name === 'Skill')!;
        expect(skillResult.isError).to.equal(false);
        expect(system).to.not.include(skillResult.result.slice(0, 200));
        expect(skillResult.result.length).to.be.greaterThan(200);
        // The task log keeps what was typed; the model got the expansion.
        expect(eventsOf(run.events, 'task.started')[0].prompt).to.equal('/productivity:today buy milk');
    });

    it("runs a skill's bundled script in the sandbox, then applies its plan with Move", async () => {
        fs.writeFileSync(path.join(place.folder, 'Scan 2024_03_05 Invoice.pdf'), 'pdf');
        fs.writeFileSync(path.join(place.folder, 'notes 05.01.2023.txt'), 'txt');
        server = await startScriptedModelServer([
            toolUse('Skill', { skill: 'productivity:batch-rename' }),
            (_req, ctx) => {
                const script = /python3 (\S+plan_renames\.py)/.exec(ctx.toolResults[0].text)![1];
                return toolUse('Bash', { command: `python3 ${script} ${JSON.stringify(place.folder)} --rule date-prefix`, description: 'plan the renames' });
            },
            (_req, ctx) => {
                const plan = JSON.parse(ctx.toolResults[0].text) as { renames: { from: string; to: string }[] };
                return toolUse('Move', { moves: plan.renames.map(r => ({ from: path.resolve(place.folder, r.from), to: path.resolve(place.folder, r.to) })) });
            },
            text('Renamed.')
        ]);
        const run = await runCli(['run', '--json', '--folder', place.folder, 'Prefix my files with their dates'], cliEnv(server.url, place.data));
        expect(run.code, run.stderr).to.equal(0);
        const bash = eventsOf(run.events, 'tool.finished').find(e => e.name === 'Bash')!;
        expect(bash.isError, bash.result).to.equal(false);
        const names = fs.readdirSync(place.folder).sort();
        expect(names.every(n => /^\d{4}-\d{2}-\d{2}/.test(n)), names.join(', ')).to.equal(true);
        expect(names.some(n => n.startsWith('2024-03-05'))).to.equal(true);
        expect(names.some(n => n.startsWith('2023-01-05'))).to.equal(true);
    });

    it('rejects an unknown slash command with the list of available ones', async () => {
        server = await startScriptedModelServer([]);
        const run = await runCli(['run', '--folder', place.folder, '/nope:thing'], cliEnv(server.url, place.data));
        expect(run.code).to.equal(1);
        expect(run.stderr).to.match(/Unknown command \/nope:thing\. Available: .*\/productivity:today/);
        expect(run.stderr).to.not.match(/\n\s+at /);
        expect(server.messageRequests).to.have.length(0);
    });
});
