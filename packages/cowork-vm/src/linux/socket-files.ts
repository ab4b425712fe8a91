import * as fs from 'fs';
import * as path from 'path';

interface DirEntryCache {
    mtimeMs: number;
    ino: number;
    sockets: string[];
    subdirs: string[];
}

/** A folder changed this recently may change again within the same timestamp tick: read it again. */
const SETTLE_MS = 2000;

/**
 * Finds Unix socket files inside granted folders. connect() on such a file reaches its listener
 * on the host whatever namespaces the sandbox has, so each is masked with /dev/null. Blocking
 * AF_UNIX altogether would break LibreOffice, which talks to itself over one.
 *
 * Scanning a large grant before every command is costly, so each folder's sockets and
 * sub-folders are remembered with its mtime: adding, removing or renaming an entry changes the
 * folder's mtime, and only changed folders are read again (the others cost one stat).
 */
export class SocketFileScanner {
    private readonly cache = new Map<string, DirEntryCache>();

    constructor(private readonly maxEntries = 200_000) { }

    scan(roots: readonly string[]): { sockets: string[]; complete: boolean } {
        const sockets: string[] = [];
        const seen = new Set<string>();
        let entries = 0;
        const stack = [...roots];
        while (stack.length > 0) {
            const dir = stack.pop()!;
            if (seen.has(dir)) {
                continue;
            }
            seen.add(dir);
            const info = this.read(dir);
            if (!info) {
                continue;
            }
            entries += info.sockets.length + info.subdirs.length + 1;
            if (entries > this.maxEntries) {
                return { sockets, complete: false };
            }
            sockets.push(...info.sockets);
            stack.push(...info.subdirs);
        }
        for (const dir of this.cache.keys()) {
            if (!seen.has(dir)) {
                this.cache.delete(dir);
            }
        }
        return { sockets, complete: true };
    }

    private read(dir: string): DirEntryCache | undefined {
        let st: fs.Stats;
        try {
            st = fs.lstatSync(dir);
        } catch {
            this.cache.delete(dir);
            return undefined;
        }
        if (!st.isDirectory()) {
            return undefined;
        }
        const cached = this.cache.get(dir);
        if (cached && cached.mtimeMs === st.mtimeMs && cached.ino === st.ino && Date.now() - st.mtimeMs > SETTLE_MS) {
            return cached;
        }
        let dirents: fs.Dirent[];
        try {
            dirents = fs.readdirSync(dir, { withFileTypes: true });
        } catch {
            return undefined;
        }
        const info: DirEntryCache = { mtimeMs: st.mtimeMs, ino: st.ino, sockets: [], subdirs: [] };
        for (const e of dirents) {
            if (e.isSocket()) {
                info.sockets.push(path.join(dir, e.name));
            } else if (e.isDirectory()) {
                info.subdirs.push(path.join(dir, e.name));
            }
        }
        this.cache.set(dir, info);
        return info;
    }
}
