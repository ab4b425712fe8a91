import { execFile } from 'child_process';
import * as fs from 'fs';

export class FetchError extends Error { }

/**
 * Fetches a git repository at a pinned commit (or ref) into `dest`. Without network the message
 * says which host could not be reached, instead of git's raw output.
 */
export async function gitFetch(url: string, dest: string, opts: { ref?: string; sha?: string; timeoutMs?: number } = {}): Promise<void> {
    if (!/^(https?:\/\/|git@|ssh:\/\/|file:\/\/|\/)/.test(url)) {
        throw new FetchError(`${url} is not a git URL this installer can fetch`);
    }
    const timeoutMs = opts.timeoutMs ?? 120_000;
    fs.mkdirSync(dest, { recursive: true });
    const cloneArgs = ['clone', '--quiet', '--no-checkout', ...(opts.ref && !opts.sha ? ['--branch', opts.ref, '--depth', '1'] : []), '--', url, dest];
    await git(cloneArgs, undefined, timeoutMs, url);
    const rev = opts.sha ?? (opts.ref ? 'HEAD' : 'HEAD');
    await git(['checkout', '--quiet', rev], dest, timeoutMs, url);
}

function git(args: string[], cwd: string | undefined, timeoutMs: number, url: string): Promise<void> {
    return new Promise((resolve, reject) => {
        execFile('git', args, {
            cwd, timeout: timeoutMs, maxBuffer: 4 * 1024 * 1024,
            env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/', GIT_TERMINAL_PROMPT: '0', GIT_ASKPASS: '/bin/false' }
        }, (err, _stdout, stderr) => {
            if (!err) {
                resolve();
                return;
            }
            const text = String(stderr || err.message).trim().split('\n').filter(l => l.trim() !== '').pop() ?? '';
            const host = /^[a-z]+:\/\/([^/]+)/i.exec(url)?.[1] ?? url;
            if ((err as { killed?: boolean }).killed) {
                reject(new FetchError(`fetching ${url} took longer than ${Math.round(timeoutMs / 1000)}s; stopped`));
            } else if (/could not resolve|unable to access|connection|network|timed out|Could not read from remote/i.test(text)) {
                reject(new FetchError(`cannot reach ${host} to fetch ${url} (no network access from here?): ${text}`));
            } else {
                reject(new FetchError(`git ${args[0]} of ${url} failed: ${text}`));
            }
        });
    });
}
