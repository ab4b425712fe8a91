import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createSandbox, SandboxBackend, SandboxGrant } from '@cowork/vm';
import { HookExecRequest, HookExecResult, HookExecutor, localHookExecutor } from './hook-exec';

/**
 * Runs hook commands in the cowork-vm sandbox: no network, the plugin folder and the task's
 * folder read-only, nothing else of the host, only the CLAUDE_* variables. The JSON input is a
 * read-only file fed to stdin (the sandbox API has no stdin).
 */
export function sandboxedHookExecutor(backend: SandboxBackend): HookExecutor {
    return async req => {
        const inputDir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'cowork-hook-')));
        const inputFile = path.join(inputDir, 'input.json');
        fs.writeFileSync(inputFile, req.stdin, { mode: 0o644 });
        try {
            const grants = uniqueGrants([req.pluginRoot, req.cwd, inputDir]);
            const r = await backend.run({
                command: `exec /bin/bash --norc --noprofile -c ${shellQuote(req.command)} < ${shellQuote(inputFile)}`,
                cwd: grants.some(g => g.path === req.cwd) ? req.cwd : inputDir,
                grants,
                env: Object.fromEntries(Object.entries(req.env).filter(([k]) => k.startsWith('CLAUDE_') || k === 'LANG')),
                network: { mode: 'none' },
                limits: { wallTimeMs: req.timeoutMs }
            });
            return { exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr, timedOut: r.timedOut };
        } catch (e) {
            return { exitCode: null, stdout: '', stderr: '', timedOut: false, error: `the sandbox could not run it: ${(e as Error).message}` };
        } finally {
            fs.rmSync(inputDir, { recursive: true, force: true });
        }
    };
}

/**
 * The sandbox when this machine has one, found on first use. Without one, hooks run on the host
 * with a cleared environment and a timeout, and each result carries a warning saying so.
 */
export function defaultHookExecutor(): HookExecutor {
    let chosen: Promise<{ exec: HookExecutor; warning?: string }> | undefined;
    return async (req: HookExecRequest): Promise<HookExecResult> => {
        chosen ??= createSandbox()
            .then(b => ({ exec: sandboxedHookExecutor(b) }))
            .catch((e: Error) => ({ exec: localHookExecutor, warning: `hooks run without isolation: ${e.message.split('\n')[0]}` }));
        const { exec, warning } = await chosen;
        const r = await exec(req);
        return warning ? { ...r, warning } : r;
    };
}

function uniqueGrants(paths: (string | undefined)[]): SandboxGrant[] {
    const out: SandboxGrant[] = [];
    for (const p of paths) {
        if (!p || !fs.existsSync(p)) {
            continue;
        }
        const real = fs.realpathSync(p);
        if (!out.some(g => g.path === real)) {
            out.push({ path: real, mode: 'ro' });
        }
    }
    return out;
}

function shellQuote(s: string): string {
    return `'${s.replace(/'/g, `'\\''`)}'`;
}
