import { spawnSync } from 'child_process';
import * as fs from 'fs';

/**
 * Node cannot read extended attributes, and overlayfs marks a removed-and-recreated folder only
 * by one (`user.overlay.opaque` when mounted with `userxattr`, as in a user namespace;
 * `trusted.overlay.opaque` otherwise). One call of `getfattr` (package attr, about a
 * millisecond) or, where it is missing, of Debian's Python reads them for a whole batch.
 */
const GETFATTR = '/usr/bin/getfattr';
export const XATTR_READER = '/usr/bin/python3';

const PYTHON_SCRIPT = `
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

export function canReadXattrs(): boolean {
    return fs.existsSync(GETFATTR) || fs.existsSync(XATTR_READER);
}

export function findOpaqueDirs(dirs: string[]): Set<string> {
    return fs.existsSync(GETFATTR) ? viaGetfattr(dirs) : viaPython(dirs);
}

function viaGetfattr(dirs: string[]): Set<string> {
    const out = new Set<string>();
    // Batches keep the command line well under ARG_MAX.
    for (let i = 0; i < dirs.length; i += 500) {
        const batch = dirs.slice(i, i + 500);
        const r = spawnSync(GETFATTR, ['--absolute-names', '-h', '-n', 'user.overlay.opaque', '--', ...batch], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
        if (r.error) {
            throw new Error(`Cannot read overlay attributes with ${GETFATTR}: ${r.error.message}`);
        }
        // Exit status 1 only means some folders have no such attribute.
        let current: string | undefined;
        for (const line of r.stdout.split('\n')) {
            if (line.startsWith('# file: ')) {
                current = unescapeOctal(line.slice(8));
            } else if (current && line === 'user.overlay.opaque="y"') {
                out.add(current);
            }
        }
    }
    return out;
}

function viaPython(dirs: string[]): Set<string> {
    const r = spawnSync(XATTR_READER, ['-I', '-S', '-c', PYTHON_SCRIPT], { input: dirs.join('\0'), maxBuffer: 64 * 1024 * 1024 });
    if (r.error || r.status !== 0) {
        throw new Error(`Cannot read overlay attributes with ${XATTR_READER}: ${r.error?.message ?? r.stderr.toString().trim()}`);
    }
    return new Set(r.stdout.toString().split('\0').filter(Boolean));
}

/** getfattr writes newlines, backslashes and other specials in names as \ooo. */
function unescapeOctal(s: string): string {
    return Buffer.from(s.replace(/\\([0-7]{3})/g, (_m, o: string) => String.fromCharCode(parseInt(o, 8))), 'latin1').toString('utf8');
}
