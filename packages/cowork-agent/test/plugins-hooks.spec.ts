import { expect } from 'chai';
import * as fs from 'fs';
import * as path from 'path';
import { createSandbox, SandboxBackend } from '@cowork/vm';
import { HookRunner } from '../src/plugins/hook-runner';
import { sandboxedHookExecutor } from '../src/plugins/sandboxed-hook-executor';
import type { HookGroup } from '../src/plugins/hooks-config';
import { loadPlugin } from '../src/plugins/plugin-loader';
import { tempDir } from './plugins-test-helpers';

/** A plugin folder with one hooks.json, loaded through the real loader. */
function pluginWithHooks(hooks: Record<string, unknown>, scripts: Record<string, string> = {}): { groups: HookGroup[]; root: string } {
    const root = tempDir();
    fs.mkdirSync(path.join(root, '.claude-plugin'));
    fs.writeFileSync(path.join(root, '.claude-plugin/plugin.json'), JSON.stringify({ name: 'hooked' }));
    fs.mkdirSync(path.join(root, 'hooks'));
    fs.writeFileSync(path.join(root, 'hooks/hooks.json'), JSON.stringify({ hooks }));
    for (const [name, body] of Object.entries(scripts)) {
        fs.writeFileSync(path.join(root, 'hooks', name), body, { mode: 0o755 });
    }
    const p = loadPlugin(root);
    expect(p.issues).to.deep.equal([]);
    return { groups: p.hooks, root: p.root };
}

function runner(groups: HookGroup[], cwd = tempDir()): HookRunner {
    return new HookRunner(groups, { sessionId: 'sess-1', cwd });
}

const cmd = (command: string, extra: Record<string, unknown> = {}) => ({ hooks: [{ type: 'command', command, ...extra }] });

describe('HookRunner', () => {
    it('PreToolUse: exit code 2 blocks the call, with stderr as the reason', async () => {
        const { groups } = pluginWithHooks({
            PreToolUse: [{ matcher: 'Write|Edit', ...cmd('bash ${CLAUDE_PLUGIN_ROOT}/hooks/guard.sh') }]
        }, {
            'guard.sh': '#!/bin/bash\ninput=$(cat)\nif echo "$input" | grep -q "secrets"; then echo "Writing to secrets/ is not allowed" >&2; exit 2; fi\nexit 0\n'
        });
        const r = runner(groups);
        const blocked = await r.preToolUse('Write', { file_path: '/work/secrets/key.txt', content: 'x' });
        expect(blocked.block).to.equal('Writing to secrets/ is not allowed');
        const allowed = await r.preToolUse('Write', { file_path: '/work/notes.md', content: 'x' });
        expect(allowed.block).to.equal(undefined);
        const otherTool = await r.preToolUse('Read', { file_path: '/work/secrets/key.txt' });
        expect(otherTool.block).to.equal(undefined, 'the matcher limits the hook to Write|Edit');
    });

    it('PreToolUse: a JSON decision blocks too, in both the legacy and the hookSpecificOutput form', async () => {
        const { groups } = pluginWithHooks({
            PreToolUse: [
                { matcher: 'Bash', ...cmd(`echo '{"decision":"block","reason":"no shell today"}'`) },
                { matcher: 'Delete', ...cmd(`echo '{"hookSpecificOutput":{"hookEventName":"PreToolUse","permissionDecision":"deny","permissionDecisionReason":"deleting is off"}}'`) },
                { matcher: 'Move', ...cmd(`echo '{"hookSpecificOutput":{"hookEventName":"PreToolUse","permissionDecision":"ask","permissionDecisionReason":"moving needs a look"}}'`) }
            ]
        });
        const r = runner(groups);
        expect((await r.preToolUse('Bash', { command: 'ls' })).block).to.equal('no shell today');
        expect((await r.preToolUse('Delete', { path: 'x' })).block).to.equal('deleting is off');
        const ask = await r.preToolUse('Move', { from: 'a', to: 'b' });
        expect(ask.block).to.equal(undefined);
        expect(ask.ask).to.equal('moving needs a look');
    });

    it('sends Claude Code\'s JSON on stdin and runs with a cleared environment', async () => {
        const out = path.join(tempDir(), 'seen.json');
        const { groups, root } = pluginWithHooks({
            PreToolUse: [cmd(`cat > ${out}; env | sort >> ${out}.env`)]
        });
        process.env.COWORK_TEST_SECRET = 'sk-should-not-leak';
        try {
            const cwd = tempDir();
            await runner(groups, cwd).preToolUse('Edit', { file_path: 'a.md', old_string: 'x', new_string: 'y' }, 'toolu_1');
            const seen = JSON.parse(fs.readFileSync(out, 'utf8'));
            expect(seen).to.deep.include({
                session_id: 'sess-1', cwd, hook_event_name: 'PreToolUse', tool_name: 'Edit', tool_use_id: 'toolu_1',
                tool_input: { file_path: 'a.md', old_string: 'x', new_string: 'y' }
            });
            const env = fs.readFileSync(`${out}.env`, 'utf8');
            expect(env).to.contain(`CLAUDE_PLUGIN_ROOT=${root}`);
            expect(env).to.contain(`CLAUDE_PROJECT_DIR=${cwd}`);
            expect(env).to.not.contain('sk-should-not-leak');
            expect(env).to.not.match(/ANTHROPIC_API_KEY/);
        } finally {
            delete process.env.COWORK_TEST_SECRET;
        }
    });

    it('a hook that runs past its timeout is stopped and reported, and does not block', async function () {
        this.timeout(10000);
        const { groups } = pluginWithHooks({ PreToolUse: [cmd('sleep 30; exit 2', { timeout: 1 })] });
        const started = Date.now();
        const r = await runner(groups).preToolUse('Write', {});
        expect(Date.now() - started).to.be.below(8000);
        expect(r.block).to.equal(undefined);
        expect(r.warnings[0]).to.match(/timed out after 1s/);
    });

    it('a failing hook (exit 1) is a warning, not a block', async () => {
        const { groups } = pluginWithHooks({ PreToolUse: [cmd('echo oops >&2; exit 1')] });
        const r = await runner(groups).preToolUse('Write', {});
        expect(r.block).to.equal(undefined);
        expect(r.warnings[0]).to.match(/failed \(exit code 1\): oops/);
    });

    it('honours `if` rules on the tool input', async () => {
        const { groups } = pluginWithHooks({ PreToolUse: [{ matcher: 'Bash', hooks: [{ type: 'command', command: 'echo "no pushing" >&2; exit 2', if: 'Bash(git push*)' }] }] });
        const r = runner(groups);
        expect((await r.preToolUse('Bash', { command: 'git push origin main' })).block).to.equal('no pushing');
        expect((await r.preToolUse('Bash', { command: 'git status' })).block).to.equal(undefined);
    });

    it('PostToolUse: feedback and added context reach the model', async () => {
        const { groups } = pluginWithHooks({
            PostToolUse: [
                { matcher: 'Write', ...cmd('echo "lint: trailing spaces" >&2; exit 2') },
                { matcher: 'Write', ...cmd(`echo '{"hookSpecificOutput":{"hookEventName":"PostToolUse","additionalContext":"file is now 3 lines"}}'`) }
            ]
        });
        const r = await runner(groups).postToolUse('Write', { file_path: 'a' }, { content: 'ok' });
        expect(r.feedback).to.equal('lint: trailing spaces');
        expect(r.additionalContext).to.equal('file is now 3 lines');
    });

    it('UserPromptSubmit: plain stdout adds context; exit 2 refuses the prompt', async () => {
        const ctx = pluginWithHooks({ UserPromptSubmit: [cmd('echo "Today is a holiday"')] });
        const r1 = await runner(ctx.groups).userPromptSubmit('plan my day');
        expect(r1.additionalContext).to.equal('Today is a holiday');
        expect(r1.block).to.equal(undefined);
        const refuse = pluginWithHooks({ UserPromptSubmit: [cmd('grep -q password && { echo "prompt contains a password" >&2; exit 2; }; exit 0')] });
        expect((await runner(refuse.groups).userPromptSubmit('my password is hunter2')).block).to.equal('prompt contains a password');
        expect((await runner(refuse.groups).userPromptSubmit('hello')).block).to.equal(undefined);
    });

    it('SessionStart matches the source; Stop can keep the model going', async () => {
        const { groups } = pluginWithHooks({
            SessionStart: [{ matcher: 'startup', ...cmd('echo "Project uses metric units"') }],
            Stop: [cmd(`read input; case "$input" in *'"stop_hook_active":true'*) exit 0;; esac; echo '{"decision":"block","reason":"Run the checks first"}'`)]
        });
        const r = runner(groups);
        expect((await r.sessionStart('startup')).additionalContext).to.equal('Project uses metric units');
        expect((await r.sessionStart('resume')).additionalContext).to.equal(undefined);
        expect((await r.stop(false)).block).to.equal('Run the checks first');
        expect((await r.stop(true)).block).to.equal(undefined);
    });
});

describe('HookRunner in the sandbox', function () {
    this.timeout(60000);
    let backend: SandboxBackend | undefined;

    before(async function () {
        try {
            backend = await createSandbox();
        } catch (e) {
            // No isolation on this machine (e.g. no bubblewrap): PluginHost then runs hooks on the host, with a warning.
            this.skip();
        }
    });

    it('blocks through exit 2 with the JSON input on stdin, and sees neither host secrets nor writable folders', async () => {
        const secretDir = tempDir();
        fs.writeFileSync(path.join(secretDir, 'secret.txt'), 'TOP SECRET');
        const { groups } = pluginWithHooks({
            PreToolUse: [cmd(`input=$(cat); cat ${secretDir}/secret.txt 2>/dev/null; touch "$CLAUDE_PROJECT_DIR/written" 2>/dev/null && echo WROTE; `
                + `echo "$input" | grep -q '"tool_name":"Bash"' && { echo "no shell: $(echo "$input" | grep -o 'rm -rf[^"]*')" >&2; exit 2; }; exit 0`)]
        });
        const cwd = tempDir();
        const r = new HookRunner(groups, { sessionId: 's', cwd, executor: sandboxedHookExecutor(backend!) });
        const blocked = await r.preToolUse('Bash', { command: 'rm -rf /' });
        expect(blocked.block).to.equal('no shell: rm -rf /');
        const other = await r.postToolUse('Read', { file_path: 'x' }, 'ok');
        expect(other.warnings).to.deep.equal([]);
        const spy = new HookRunner(pluginWithHooks({ PreToolUse: [cmd(`cat ${secretDir}/secret.txt >&2; touch "$CLAUDE_PROJECT_DIR/written" && echo WROTE >&2; exit 1`)] }).groups,
            { sessionId: 's', cwd, executor: sandboxedHookExecutor(backend!) });
        const res = await spy.preToolUse('Write', {});
        // exit 1: the hook's stderr comes back as a warning, so what it could see is visible here.
        expect(res.warnings.join('\n')).to.match(/No such file or directory/);
        expect(res.warnings.join('\n')).to.match(/Read-only file system/);
        expect(res.warnings.join('\n')).to.not.contain('TOP SECRET');
        expect(res.warnings.join('\n')).to.not.contain('WROTE');
        expect(fs.existsSync(path.join(cwd, 'written'))).to.equal(false);
    });
});
