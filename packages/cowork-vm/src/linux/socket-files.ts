import * as fs from 'fs';
import * as path from 'path';

/**
 * Unix socket files inside granted folders. connect() on such a file reaches its listener on
 * the host whatever namespaces the sandbox has, so each is masked with /dev/null. Blocking
 * AF_UNIX altogether would break LibreOffice, which talks to itself over one.
 */
export function findSocketFiles(roots: readonly string[], maxEntries = 200_000): { sockets: string[]; complete: boolean } {
    const sockets: string[] = [];
    let seen = 0;
    const stack = [...roots];
    while (stack.length > 0) {
        const dir = stack.pop()!;
        let entries: fs.Dirent[];
        try {
            entries = fs.readdirSync(dir, { withFileTypes: true });
        } catch {
            continue;
        }
        for (const e of entries) {
            if (++seen > maxEntries) {
                return { sockets, complete: false };
            }
            if (e.isSocket()) {
                sockets.push(path.join(dir, e.name));
            } else if (e.isDirectory()) {
                stack.push(path.join(dir, e.name));
            }
        }
    }
    return { sockets, complete: true };
}
