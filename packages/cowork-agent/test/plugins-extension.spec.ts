import { expect } from 'chai';
import * as fs from 'fs';
import * as path from 'path';
import { GrantSet } from '../src/grants';
import { localHookExecutor } from '../src/plugins/hook-exec';
import { pluginsExtension } from '../src/plugins/plugins-extension';
import type { TaskEnvironment } from '../src/runtime/cowork-runtime';
import { tempDir } from './plugins-test-helpers';

describe('pluginsExtension (what the runtime mounts)', () => {
    it('gives every task the plugin tools, the prompt section, sub-agent types and hooks', async () => {
        const bundled = tempDir();
        const root = path.join(bundled, 'guarded');
        fs.mkdirSync(path.join(root, '.claude-plugin'), { recursive: true });
        fs.mkdirSync(path.join(root, 'hooks'));
        fs.mkdirSync(path.join(root, 'agents'));
        fs.mkdirSync(path.join(root, 'skills/tidy'), { recursive: true });
        fs.writeFileSync(path.join(root, '.claude-plugin/plugin.json'), JSON.stringify({ name: 'guarded' }));
        fs.writeFileSync(path.join(root, 'skills/tidy/SKILL.md'), '---\nname: tidy\ndescription: Tidies a folder without deleting anything\n---\nTidy.');
        fs.writeFileSync(path.join(root, 'agents/checker.md'), '---\nname: checker\ndescription: Checks things\ntools: Read, Glob\nmodel: inherit\nmaxTurns: 3\n---\nYou check.');
        fs.writeFileSync(path.join(root, 'hooks/hooks.json'), JSON.stringify({ hooks: {
            PreToolUse: [{ matcher: 'Delete', hooks: [{ type: 'command', command: 'echo "deleting is not allowed here" >&2; exit 2' }] }],
            SessionStart: [{ hooks: [{ type: 'command', command: 'echo "units are metric"' }] }],
            UserPromptSubmit: [{ hooks: [{ type: 'command', command: 'grep -q forbidden && { echo "not that" >&2; exit 2; }; exit 0' }] }],
            Stop: [{ hooks: [{ type: 'command', command: `read i; case "$i" in *'"stop_hook_active":true'*) exit 0;; esac; echo '{"decision":"block","reason":"summarise first"}'` }] }]
        } }));
        const ext = pluginsExtension({ bundledDir: bundled, hookExecutor: localHookExecutor });
        const grantDir = tempDir();
        const env = { dataDir: tempDir(), session: { id: 'sess-x' }, grants: GrantSet.create([{ path: grantDir, mode: 'rw' }]) } as unknown as TaskEnvironment;
        expect(ext.tools!(env).map(t => t.name)).to.deep.equal(['Skill']);
        expect(ext.systemSections!(env)[0]).to.contain('- guarded:tidy: Tidies a folder');
        expect(ext.subagentTypes!(env)).to.deep.equal([{ name: 'guarded:checker', description: 'Checks things', tools: ['Read', 'Glob'], model: undefined, maxTurns: 3, systemPrompt: 'You check.' }]);
        const hooks = ext.hooks!(env)!;
        expect(await hooks.preToolUse!('Delete', { path: 'x' }, 'toolu_1')).to.deep.equal({ block: 'deleting is not allowed here' });
        expect(await hooks.preToolUse!('Read', { file_path: 'x' }, 'toolu_2')).to.equal(undefined);
        expect(await hooks.stop!()).to.deep.equal({ continueWith: 'summarise first' });
        expect(await hooks.stop!()).to.equal(undefined, 'the second stop passes stop_hook_active and is let through');
        expect(await ext.beforeTask(env, 'plan the week')).to.deep.equal({ block: undefined, additionalContext: 'units are metric', warnings: [] });
        expect((await ext.beforeTask(env, 'do the forbidden thing')).block).to.equal('not that');
        // A plugin customized (edited) after this picks up on the next task, without a restart.
        const first = ext.host(env.dataDir);
        expect(ext.host(env.dataDir)).to.equal(first, 'nothing changed: same host');
        const copy = first.store.customize('guarded');
        fs.writeFileSync(path.join(copy, 'skills/tidy/SKILL.md'), '---\nname: tidy\ndescription: Tidies, now with dates\n---\nTidy.');
        expect(ext.systemSections!(env)[0]).to.contain('- guarded:tidy: Tidies, now with dates');
        await first.close();
        await ext.host(env.dataDir).close();
    });
});
