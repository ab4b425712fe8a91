import * as fs from 'fs';
import * as path from 'path';

/** A plugin tried to reach outside its folder. */
export class PathEscapeError extends Error { }

export function isInside(parent: string, child: string): boolean {
    return child === parent || child.startsWith(parent.endsWith(path.sep) ? parent : parent + path.sep);
}

/**
 * Resolves `rel` (relative to `root`, or absolute) through every symlink and returns the real
 * path only if it stays inside the real `root`. `..` segments, absolute paths and links that
 * lead out of the plugin folder are all refused the same way.
 */
export function resolveInside(root: string, rel: string, rootIsReal = false): string {
    if (rel.includes('\0')) {
        throw new PathEscapeError(`${JSON.stringify(rel)} contains a NUL byte`);
    }
    const realRoot = rootIsReal ? root : fs.realpathSync.native(root);
    const abs = path.resolve(realRoot, rel);
    if (!isInside(realRoot, abs)) {
        throw new PathEscapeError(`${rel} points outside the plugin folder`);
    }
    let real: string;
    try {
        real = fs.realpathSync.native(abs);
    } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
            // A dangling link is as suspicious as one pointing out: its target could be anywhere.
            if (isLink(abs)) {
                throw new PathEscapeError(`${rel} is a link to a missing target`);
            }
            return abs;
        }
        throw e;
    }
    if (!isInside(realRoot, real)) {
        throw new PathEscapeError(`${rel} is a link that leads outside the plugin folder (to ${real})`);
    }
    return real;
}

function isLink(p: string): boolean {
    try {
        return fs.lstatSync(p).isSymbolicLink();
    } catch {
        return false;
    }
}

/**
 * Every file under `dir` (relative paths, sorted), not following links out of `root`, skipping
 * hidden folders and stopping at `limit` entries.
 */
export function listFilesInside(root: string, dir: string, limit = 500): { files: string[]; truncated: boolean } {
    const realRoot = fs.realpathSync.native(root);
    const files: string[] = [];
    let truncated = false;
    const walk = (abs: string, rel: string, depth: number) => {
        if (depth > 12 || truncated) {
            return;
        }
        let entries: fs.Dirent[];
        try {
            entries = fs.readdirSync(abs, { withFileTypes: true });
        } catch {
            return;
        }
        entries.sort((a, b) => a.name.localeCompare(b.name));
        for (const e of entries) {
            if (files.length >= limit) {
                truncated = true;
                return;
            }
            const childAbs = path.join(abs, e.name);
            const childRel = rel ? `${rel}/${e.name}` : e.name;
            let real: string;
            try {
                real = fs.realpathSync.native(childAbs);
            } catch {
                continue;
            }
            if (!isInside(realRoot, real)) {
                continue;
            }
            const st = fs.statSync(real);
            if (st.isDirectory()) {
                if (!e.name.startsWith('.')) {
                    walk(childAbs, childRel, depth + 1);
                }
            } else if (st.isFile()) {
                files.push(childRel);
            }
        }
    };
    walk(dir, '', 0);
    return { files, truncated };
}

/** Reads a text file found inside `root`, refusing escapes and files over `maxBytes`. */
export function readTextInside(root: string, rel: string, maxBytes = 2 * 1024 * 1024): string {
    const real = resolveInside(root, rel);
    const st = fs.statSync(real);
    if (!st.isFile()) {
        throw new Error(`${rel} is not a file`);
    }
    if (st.size > maxBytes) {
        throw new Error(`${rel} is ${st.size} bytes, over the ${maxBytes}-byte limit`);
    }
    return fs.readFileSync(real, 'utf8');
}
