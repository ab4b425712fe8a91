import * as fs from 'fs';
import * as path from 'path';
import type { Change, EntryType } from './change-set';
import { findOpaqueDirs } from './opaque-dirs';

/**
 * Reads an overlayfs upper layer after the command ended and turns it into changes against the
 * lower folder (the real grant):
 * - a regular file or link in upper: created, or modified when the lower one differs;
 * - a character device 0,0 (a whiteout): the lower entry was deleted;
 * - a directory marked opaque: it was removed and made again, so every lower child not in the
 *   upper layer was deleted.
 */
export function inspectUpperLayer(upper: string, lower: string): Change[] {
    const raw: Change[] = [];
    const mergedDirs: string[] = [];
    walk(upper, lower, '', raw, mergedDirs);
    const opaque = mergedDirs.length > 0 ? findOpaqueDirs(mergedDirs.map(rel => path.join(upper, rel))) : new Set<string>();
    for (const rel of mergedDirs) {
        if (opaque.has(path.join(upper, rel))) {
            addHiddenLowerChildren(upper, lower, rel, raw);
        }
    }
    return raw;
}

function walk(upper: string, lower: string, rel: string, out: Change[], mergedDirs: string[]): void {
    for (const name of fs.readdirSync(path.join(upper, rel))) {
        const r = path.join(rel, name);
        const up = fs.lstatSync(path.join(upper, r));
        const low = lstatOrNull(path.join(lower, r));
        const host = path.join(lower, r);

        if (isWhiteout(up)) {
            if (low) {
                out.push({ path: host, kind: 'deleted', type: typeOf(low), size: sizeOf(path.join(lower, r), low) });
            }
            continue;
        }
        if (low && typeOf(low) !== typeOf(up)) {
            // A file became a folder or the other way round: the old entry went away first.
            out.push({ path: host, kind: 'deleted', type: typeOf(low), size: sizeOf(path.join(lower, r), low) });
        }
        const sameType = low !== null && typeOf(low) === typeOf(up);
        if (up.isDirectory()) {
            if (!sameType) {
                out.push({ path: host, kind: 'created', type: 'dir', size: 0, mode: up.mode & 0o7777 });
            } else {
                mergedDirs.push(r);
            }
            walk(upper, lower, r, out, mergedDirs);
        } else if (up.isFile()) {
            const staged = path.join(upper, r);
            if (!sameType) {
                out.push({ path: host, kind: 'created', type: 'file', size: up.size, mode: up.mode & 0o7777, staged });
            } else if ((low!.mode & 0o7777) !== (up.mode & 0o7777) || !sameContent(path.join(lower, r), staged, low!.size, up.size)) {
                out.push({ path: host, kind: 'modified', type: 'file', size: up.size, previousSize: low!.size, mode: up.mode & 0o7777, staged });
            }
        } else if (up.isSymbolicLink()) {
            const target = fs.readlinkSync(path.join(upper, r));
            if (!sameType || fs.readlinkSync(path.join(lower, r)) !== target) {
                out.push({ path: host, kind: sameType ? 'modified' : 'created', type: 'symlink', size: 0, linkTarget: target });
            }
        } else {
            out.push({ path: host, kind: 'created', type: 'other', size: 0 });
        }
    }
}

function addHiddenLowerChildren(upper: string, lower: string, rel: string, out: Change[]): void {
    for (const name of fs.readdirSync(path.join(lower, rel))) {
        const r = path.join(rel, name);
        if (lstatOrNull(path.join(upper, r))) {
            continue;
        }
        const low = fs.lstatSync(path.join(lower, r));
        out.push({ path: path.join(lower, r), kind: 'deleted', type: typeOf(low), size: sizeOf(path.join(lower, r), low) });
    }
}

function isWhiteout(st: fs.Stats): boolean {
    return st.isCharacterDevice() && st.rdev === 0;
}

function typeOf(st: fs.Stats): EntryType {
    if (st.isFile()) {
        return 'file';
    }
    if (st.isDirectory()) {
        return 'dir';
    }
    if (st.isSymbolicLink()) {
        return 'symlink';
    }
    return 'other';
}

function lstatOrNull(p: string): fs.Stats | null {
    try {
        return fs.lstatSync(p);
    } catch {
        return null;
    }
}

/** Bytes a deletion would remove (a folder: everything under it). */
function sizeOf(p: string, st: fs.Stats): number {
    if (!st.isDirectory()) {
        return st.isFile() ? st.size : 0;
    }
    let total = 0;
    for (const name of fs.readdirSync(p)) {
        const child = path.join(p, name);
        total += sizeOf(child, fs.lstatSync(child));
    }
    return total;
}

/** overlayfs copies a file up when it is opened for writing, even if nothing is written. */
function sameContent(a: string, b: string, sizeA: number, sizeB: number): boolean {
    if (sizeA !== sizeB) {
        return false;
    }
    const fa = fs.openSync(a, 'r');
    const fb = fs.openSync(b, 'r');
    try {
        const ba = Buffer.alloc(1 << 16);
        const bb = Buffer.alloc(1 << 16);
        for (;;) {
            const na = fs.readSync(fa, ba, 0, ba.length, null);
            const nb = fs.readSync(fb, bb, 0, bb.length, null);
            if (na !== nb || !ba.subarray(0, na).equals(bb.subarray(0, nb))) {
                return false;
            }
            if (na === 0) {
                return true;
            }
        }
    } finally {
        fs.closeSync(fa);
        fs.closeSync(fb);
    }
}
