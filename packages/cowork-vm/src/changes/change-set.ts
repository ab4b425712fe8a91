import * as fs from 'fs';
import * as path from 'path';
import { randomBytes } from 'crypto';

export type ChangeKind = 'created' | 'modified' | 'deleted';
export type EntryType = 'file' | 'dir' | 'symlink' | 'other';

/** One thing a command did to a read-write grant, staged and not yet applied. */
export interface Change {
    /** Host path inside the grant (the same path the command saw). */
    readonly path: string;
    readonly kind: ChangeKind;
    readonly type: EntryType;
    /** Size after the change (created/modified files), or of what is deleted. */
    readonly size: number;
    /** Size before the change, for modified files. */
    readonly previousSize?: number;
    /** Permission bits of the new file or folder. */
    readonly mode?: number;
    /** Where the new bytes are staged (created/modified files). */
    readonly staged?: string;
    /** For a created symlink: its target, as written. */
    readonly linkTarget?: string;
}

export interface ApplyReport {
    applied: Change[];
    skipped: { change: Change; reason: string }[];
}

/**
 * The changes a command made to read-write grants, held in a staging area until someone decides.
 * `apply` carries selected changes into the real folders; `discard` drops the staging area.
 * Nothing here knows who decides or how undo works: callers that journal changes apply them
 * one by one with `applyChange`.
 */
export class ChangeSet {
    private discarded = false;

    constructor(readonly changes: readonly Change[], private readonly stagingDir?: string) { }

    static empty(): ChangeSet {
        return new ChangeSet([]);
    }

    get isEmpty(): boolean {
        return this.changes.length === 0;
    }

    byKind(kind: ChangeKind): Change[] {
        return this.changes.filter(c => c.kind === kind);
    }

    /**
     * Applies the selected changes (all by default): folders first, then files, then deletions,
     * deepest first. Symlinks and special files are never carried out of the sandbox.
     */
    apply(selection?: (change: Change) => boolean): ApplyReport {
        this.assertLive();
        const report: ApplyReport = { applied: [], skipped: [] };
        for (const change of orderForApply(this.changes.filter(c => !selection || selection(c)))) {
            try {
                this.applyChange(change);
                report.applied.push(change);
            } catch (e) {
                report.skipped.push({ change, reason: e instanceof Error ? e.message : String(e) });
            }
        }
        return report;
    }

    /** Applies one change; throws with a readable reason when it cannot. */
    applyChange(change: Change): void {
        this.assertLive();
        switch (change.kind) {
            case 'deleted':
                fs.rmSync(change.path, { recursive: true, force: true });
                return;
            case 'created':
            case 'modified':
                if (change.type === 'dir') {
                    fs.mkdirSync(change.path, { recursive: true });
                    if (change.mode !== undefined) {
                        fs.chmodSync(change.path, change.mode);
                    }
                    return;
                }
                if (change.type !== 'file' || !change.staged) {
                    throw new Error(`${change.path}: ${change.type === 'symlink' ? 'links' : 'special files'} made in the sandbox are not carried out of it`);
                }
                copyIntoPlace(change.staged, change.path, change.mode ?? 0o644);
                return;
        }
    }

    /** Drops the staged changes. Safe to call more than once. */
    discard(): void {
        if (this.discarded) {
            return;
        }
        this.discarded = true;
        if (this.stagingDir) {
            discardStaging(this.stagingDir);
        }
    }

    private assertLive(): void {
        if (this.discarded) {
            throw new Error('This change set was discarded; its staged files are gone');
        }
    }
}

export function orderForApply(changes: readonly Change[]): Change[] {
    const depth = (p: string) => p.split(path.sep).length;
    const dirs = changes.filter(c => c.kind !== 'deleted' && c.type === 'dir').sort((a, b) => depth(a.path) - depth(b.path));
    const files = changes.filter(c => c.kind !== 'deleted' && c.type !== 'dir');
    const deletions = changes.filter(c => c.kind === 'deleted').sort((a, b) => depth(b.path) - depth(a.path));
    return [...dirs, ...files, ...deletions];
}

/** Copies to a temp file beside the target, syncs, then renames: the target is never half-written. */
export function copyIntoPlace(from: string, to: string, mode: number): void {
    fs.mkdirSync(path.dirname(to), { recursive: true });
    const tmp = path.join(path.dirname(to), `.${path.basename(to)}.cowork-${randomBytes(6).toString('hex')}.tmp`);
    try {
        fs.copyFileSync(from, tmp, fs.constants.COPYFILE_EXCL);
        fs.chmodSync(tmp, mode & 0o7777);
        const fd = fs.openSync(tmp, 'r');
        try {
            fs.fsyncSync(fd);
        } finally {
            fs.closeSync(fd);
        }
        fs.renameSync(tmp, to);
    } catch (e) {
        fs.rmSync(tmp, { force: true });
        throw e;
    }
}

/**
 * Renames the staging folder out of the way at once and removes it in the background: removing
 * thousands of staged files would otherwise add to every command's latency.
 */
export function discardStaging(dir: string): void {
    const trash = `${dir}.discarded`;
    try {
        fs.renameSync(dir, trash);
    } catch {
        removeStaging(dir);
        return;
    }
    fs.promises.rm(trash, { recursive: true, force: true }).catch(() => removeStaging(trash));
}

/** overlayfs leaves its work dir with mode 000; make everything removable first. */
export function removeStaging(dir: string): void {
    const open = (p: string) => {
        let st: fs.Stats;
        try {
            st = fs.lstatSync(p);
        } catch {
            return;
        }
        if (st.isDirectory()) {
            try {
                fs.chmodSync(p, 0o700);
            } catch {
                // Removal below reports what is really stuck.
            }
            for (const name of safeReaddir(p)) {
                open(path.join(p, name));
            }
        }
    };
    try {
        fs.rmSync(dir, { recursive: true, force: true });
    } catch {
        open(dir);
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

function safeReaddir(p: string): string[] {
    try {
        return fs.readdirSync(p);
    } catch {
        return [];
    }
}
