import * as fs from 'fs';
import * as path from 'path';
import { ToolError } from './tool';

export type GrantMode = 'rw' | 'ro';

export interface Grant {
    /** Absolute, symlink-free path of the granted folder. */
    readonly path: string;
    readonly mode: GrantMode;
}

export type Access = 'read' | 'write';

/**
 * A path pinned for one operation. `viaFd` goes through an open descriptor of the parent
 * directory (/proc/self/fd/N/name), so a symlink swapped into the path after the check cannot
 * redirect the operation: the directory is the one that was checked.
 */
export interface PinnedPath {
    readonly real: string;
    readonly viaFd: string;
    readonly grant: Grant;
    release(): void;
}

/** The folders a task may touch. Everything outside them is unreachable. */
export class GrantSet {
    /** Test seam: runs between the check and the use, to prove swaps are caught. */
    static afterResolveHook: ((real: string) => void | Promise<void>) | undefined;

    private constructor(readonly grants: readonly Grant[]) { }

    static create(specs: { path: string; mode: GrantMode }[]): GrantSet {
        const grants = specs.map(spec => {
            const abs = path.resolve(spec.path);
            let real: string;
            try {
                real = fs.realpathSync(abs);
            } catch {
                throw new Error(`Granted folder ${abs} does not exist`);
            }
            if (!fs.statSync(real).isDirectory()) {
                throw new Error(`Granted path ${abs} is not a folder`);
            }
            return { path: real, mode: spec.mode };
        });
        return new GrantSet(grants);
    }

    /** Parses `DIR` or `DIR:ro` / `DIR:rw` as the CLI takes them. */
    static parseSpec(spec: string): { path: string; mode: GrantMode } {
        const m = /^(.*):(ro|rw)$/.exec(spec);
        return m ? { path: m[1], mode: m[2] as GrantMode } : { path: spec, mode: 'rw' };
    }

    get cwd(): string {
        return this.grants[0]?.path ?? process.cwd();
    }

    describe(): string {
        return this.grants.map(g => `${g.path} (${g.mode === 'rw' ? 'read-write' : 'read-only'})`).join(', ') || '(none)';
    }

    /** The grant containing an already symlink-free absolute path, if any. */
    grantOf(real: string): Grant | undefined {
        let best: Grant | undefined;
        for (const g of this.grants) {
            if (real === g.path || real.startsWith(g.path.endsWith(path.sep) ? g.path : g.path + path.sep)) {
                if (!best || g.path.length > best.path.length) {
                    best = g;
                }
            }
        }
        return best;
    }

    /**
     * Resolves a path the model gave (absolute, or relative to the first grant) through every
     * symlink and checks it lies in a grant allowing `access`. Missing tail components are fine
     * (a file about to be created); they cannot be symlinks because they do not exist.
     */
    resolve(p: string, access: Access): { real: string; grant: Grant } {
        if (typeof p !== 'string' || p.length === 0) {
            throw new ToolError('A path is required');
        }
        if (p.includes('\0')) {
            throw new ToolError('Path contains a NUL byte');
        }
        const abs = path.resolve(this.cwd, expandHome(p));
        const real = realpathOfExistingPrefix(abs);
        const grant = this.grantOf(real);
        if (!grant) {
            const via = real !== abs ? ` (it resolves to ${real})` : '';
            throw new ToolError(`${abs} is outside the granted folders${via}. Granted: ${this.describe()}`);
        }
        if (access === 'write' && grant.mode !== 'rw') {
            throw new ToolError(`${abs} is in a read-only grant (${grant.path}); it cannot be changed`);
        }
        return { real, grant };
    }

    /** Resolve, then pin the parent directory by descriptor (see PinnedPath). */
    async pin(p: string, access: Access): Promise<PinnedPath> {
        const { real, grant } = this.resolve(p, access);
        if (real === grant.path) {
            throw new ToolError(`${real} is a granted folder itself, not a file in it`);
        }
        await GrantSet.afterResolveHook?.(real);
        const dir = path.dirname(real);
        let fd: number;
        try {
            fd = fs.openSync(dir, fs.constants.O_RDONLY | fs.constants.O_DIRECTORY | fs.constants.O_NOFOLLOW);
        } catch (e) {
            const code = (e as NodeJS.ErrnoException).code;
            if (code === 'ENOENT') {
                throw new ToolError(`Folder ${dir} does not exist`);
            }
            if (code === 'ELOOP' || code === 'ENOTDIR') {
                throw new ToolError(`${dir} changed into a link while it was being checked; refused`);
            }
            throw new ToolError(`Cannot open folder ${dir}: ${code ?? String(e)}`);
        }
        const actual = fdPath(fd);
        if (actual !== dir || this.grantOf(actual) !== grant) {
            fs.closeSync(fd);
            throw new ToolError(`${dir} moved outside the granted folders while it was being checked; refused`);
        }
        return {
            real,
            grant,
            viaFd: `/proc/self/fd/${fd}/${path.basename(real)}`,
            release: () => fs.closeSync(fd)
        };
    }

    /** Checks an open file descriptor really is inside a grant (after O_NOFOLLOW open). */
    assertFdInside(fd: number, display: string): void {
        const actual = fdPath(fd);
        if (!this.grantOf(actual)) {
            throw new ToolError(`${display} resolves outside the granted folders; refused`);
        }
    }
}

export function fdPath(fd: number): string {
    return fs.readlinkSync(`/proc/self/fd/${fd}`);
}

function expandHome(p: string): string {
    if (p === '~' || p.startsWith('~/')) {
        return path.join(process.env.HOME ?? '/', p.slice(1));
    }
    return p;
}

/** realpath of the longest existing prefix, with the non-existing rest appended. */
export function realpathOfExistingPrefix(abs: string): string {
    const rest: string[] = [];
    let cur = abs;
    for (;;) {
        try {
            return path.join(fs.realpathSync(cur), ...rest);
        } catch (e) {
            const code = (e as NodeJS.ErrnoException).code;
            if (code !== 'ENOENT' && code !== 'ENOTDIR') {
                throw new ToolError(`Cannot resolve ${abs}: ${code}`);
            }
            // A dangling symlink must not be treated as a missing file: its target could be anywhere.
            try {
                if (fs.lstatSync(cur).isSymbolicLink()) {
                    throw new ToolError(`${cur} is a link to a missing target (${fs.readlinkSync(cur)}); refused`);
                }
            } catch (inner) {
                if (inner instanceof ToolError) {
                    throw inner;
                }
            }
            const parent = path.dirname(cur);
            if (parent === cur) {
                return abs;
            }
            rest.unshift(path.basename(cur));
            cur = parent;
        }
    }
}
