import { spawn } from 'child_process';
import { OfficeError } from './office-error';

export interface CommandResult {
    code: number | null;
    stdout: Buffer;
    stderr: string;
}

/** Runs a program without a shell and collects its output; a missing program is an OfficeError. */
export function runCommand(cmd: string, args: string[], options: { timeoutMs?: number; signal?: AbortSignal; env?: NodeJS.ProcessEnv } = {}): Promise<CommandResult> {
    return new Promise((resolve, reject) => {
        const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: options.env ?? process.env, signal: options.signal });
        const out: Buffer[] = [];
        let err = '';
        let timer: NodeJS.Timeout | undefined;
        if (options.timeoutMs) {
            timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
        }
        child.stdout.on('data', (d: Buffer) => out.push(d));
        child.stderr.setEncoding('utf8');
        child.stderr.on('data', (d: string) => { err += d; });
        child.on('error', e => {
            clearTimeout(timer);
            const code = (e as NodeJS.ErrnoException).code;
            reject(code === 'ENOENT'
                ? new OfficeError(`${cmd} is not installed (run scripts/setup-system.sh)`)
                : new OfficeError(`${cmd} failed to start: ${e.message}`));
        });
        child.on('close', code => {
            clearTimeout(timer);
            resolve({ code, stdout: Buffer.concat(out), stderr: err });
        });
    });
}
