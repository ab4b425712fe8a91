import { spawn } from 'child_process';

export interface HookExecRequest {
    command: string;
    stdin: string;
    env: Record<string, string>;
    cwd: string;
    timeoutMs: number;
    /** The plugin's folder (mounted read-only in the sandbox). */
    pluginRoot?: string;
}

export interface HookExecResult {
    exitCode: number | null;
    stdout: string;
    stderr: string;
    timedOut: boolean;
    error?: string;
    /** Something the user should know about how it ran (e.g. without isolation). */
    warning?: string;
}

/** How a hook command runs; swappable so it can go through the sandbox. */
export type HookExecutor = (req: HookExecRequest) => Promise<HookExecResult>;

const MAX_OUTPUT = 256 * 1024;

/**
 * Runs a hook with `bash -c` in its own process group, with only the environment given (no API
 * keys from ours), and kills the whole group when the timeout passes.
 */
export const localHookExecutor: HookExecutor = req => new Promise(resolve => {
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    let settled = false;
    const child = spawn('/bin/bash', ['--norc', '--noprofile', '-c', req.command], {
        cwd: req.cwd, env: req.env, detached: true, stdio: ['pipe', 'pipe', 'pipe']
    });
    const killGroup = () => {
        try {
            process.kill(-child.pid!, 'SIGKILL');
        } catch {
            child.kill('SIGKILL');
        }
    };
    const timer = setTimeout(() => {
        timedOut = true;
        killGroup();
    }, req.timeoutMs);
    const finish = (r: HookExecResult) => {
        if (!settled) {
            settled = true;
            clearTimeout(timer);
            resolve(r);
        }
    };
    child.stdout.on('data', (d: Buffer) => { stdout = (stdout + d.toString('utf8')).slice(0, MAX_OUTPUT); });
    child.stderr.on('data', (d: Buffer) => { stderr = (stderr + d.toString('utf8')).slice(0, MAX_OUTPUT); });
    child.on('error', e => finish({ exitCode: null, stdout, stderr, timedOut, error: e.message }));
    child.on('close', code => {
        // A background child of the hook may hold the pipes; the group is ended either way.
        killGroup();
        finish({ exitCode: code, stdout, stderr, timedOut });
    });
    child.stdin.on('error', () => { /* the hook need not read its input */ });
    child.stdin.end(req.stdin);
});
