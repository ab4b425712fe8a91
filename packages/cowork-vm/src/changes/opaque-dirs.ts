import { spawnSync } from 'child_process';
import * as fs from 'fs';

/**
 * Node cannot read extended attributes, and overlayfs marks a removed-and-recreated folder only
 * by one (`user.overlay.opaque` when mounted with `userxattr`, as in a user namespace;
 * `trusted.overlay.opaque` otherwise). One short Python call reads them for a whole batch.
 */
const SCRIPT = `
import os, sys
out = []
for p in sys.stdin.buffer.read().split(b"\\0"):
    if not p:
        continue
    for name in ("user.overlay.opaque", "trusted.overlay.opaque"):
        try:
            if os.getxattr(p, name, follow_symlinks=False) == b"y":
                out.append(p)
                break
        except OSError:
            pass
sys.stdout.buffer.write(b"\\0".join(out))
`;

export const XATTR_READER = '/usr/bin/python3';

export function canReadXattrs(): boolean {
    return fs.existsSync(XATTR_READER);
}

export function findOpaqueDirs(dirs: string[]): Set<string> {
    const r = spawnSync(XATTR_READER, ['-I', '-S', '-c', SCRIPT], { input: dirs.join('\0'), maxBuffer: 64 * 1024 * 1024 });
    if (r.error || r.status !== 0) {
        throw new Error(`Cannot read overlay attributes with ${XATTR_READER}: ${r.error?.message ?? r.stderr.toString().trim()}`);
    }
    return new Set(r.stdout.toString().split('\0').filter(Boolean));
}
