import * as fs from 'fs';
import * as path from 'path';
import { randomBytes } from 'crypto';

/**
 * A pids cgroup for one run: the only process-count limit that holds for uid 0, which the
 * kernel exempts from RLIMIT_NPROC. Used where a cgroup can be made (root, or a delegated
 * cgroup v2 subtree); elsewhere RLIMIT_NPROC set inside the user namespace does the job.
 */
export class PidsCgroup {
    private constructor(readonly dir: string) { }

    static create(maxPids: number): PidsCgroup | undefined {
        for (const base of candidateParents()) {
            const dir = path.join(base, `cowork-${randomBytes(6).toString('hex')}`);
            try {
                fs.mkdirSync(dir);
            } catch {
                continue;
            }
            try {
                fs.writeFileSync(path.join(dir, 'pids.max'), String(maxPids));
                return new PidsCgroup(dir);
            } catch {
                fs.rmdirSync(dir);
            }
        }
        return undefined;
    }

    /** Removes empty cgroups left by processes killed before they could clean up (older than a minute). */
    static sweep(): void {
        for (const base of candidateParents()) {
            let names: string[];
            try {
                names = fs.readdirSync(base).filter(n => /^cowork-[0-9a-f]{12}$/.test(n));
            } catch {
                continue;
            }
            for (const name of names) {
                const dir = path.join(base, name);
                try {
                    if (Date.now() - fs.statSync(dir).mtimeMs > 60_000) {
                        fs.rmdirSync(dir);
                    }
                } catch {
                    // In use (not empty) or already gone.
                }
            }
        }
    }

    get procsFile(): string {
        return path.join(this.dir, 'cgroup.procs');
    }

    /** Kills whatever is still in the cgroup, then removes it. */
    destroy(): void {
        for (let attempt = 0; attempt < 50; attempt++) {
            const pids = this.pids();
            for (const pid of pids) {
                try {
                    process.kill(pid, 'SIGKILL');
                } catch {
                    // Already gone.
                }
            }
            try {
                fs.rmdirSync(this.dir);
                return;
            } catch {
                Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
            }
        }
    }

    pids(): number[] {
        try {
            return fs.readFileSync(this.procsFile, 'utf8').split('\n').filter(Boolean).map(Number);
        } catch {
            return [];
        }
    }
}

function candidateParents(): string[] {
    const out: string[] = [];
    if (isWritableDir('/sys/fs/cgroup/pids')) {
        out.push('/sys/fs/cgroup/pids');
    }
    // cgroup v2: our own cgroup, when the pids controller is delegated to it.
    try {
        const line = fs.readFileSync('/proc/self/cgroup', 'utf8').split('\n').find(l => l.startsWith('0::'));
        if (line) {
            const own = path.join('/sys/fs/cgroup', line.slice(3));
            const controllers = fs.readFileSync(path.join(own, 'cgroup.subtree_control'), 'utf8');
            if (controllers.split(/\s+/).includes('pids') && isWritableDir(own)) {
                out.push(own);
            }
        }
    } catch {
        // No cgroup v2 hierarchy we can use.
    }
    return out;
}

function isWritableDir(p: string): boolean {
    try {
        fs.accessSync(p, fs.constants.W_OK);
        return fs.statSync(p).isDirectory();
    } catch {
        return false;
    }
}
