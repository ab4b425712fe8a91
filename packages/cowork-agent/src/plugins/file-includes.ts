import * as fs from 'fs';
import type { GrantSet } from '../grants';

const MAX_INCLUDE_BYTES = 256 * 1024;

/**
 * `@path` in a command body inlines that file, as Claude Code does. Only files the task's
 * grants allow reading are included; a path outside them is named, not read. Words that are
 * not files (`@example`, a handle) are left as they are.
 */
export function expandFileIncludes(text: string, grants: GrantSet): { text: string; included: string[]; refused: string[] } {
    const included: string[] = [];
    const refused: string[] = [];
    const out = text.replace(/(^|[\s(["'])@((?:[~./\w-][^\s)"'\]`]*)?[\w/])/g, (whole, lead: string, p: string) => {
        if (!/[./~]/.test(p) && !existsInCwd(grants, p)) {
            return whole;
        }
        let real: string;
        try {
            real = grants.resolve(p, 'read').real;
        } catch (e) {
            refused.push(p);
            return `${lead}@${p} (not included: ${(e as Error).message})`;
        }
        let st: fs.Stats;
        try {
            st = fs.statSync(real);
        } catch {
            return whole;
        }
        if (!st.isFile()) {
            return whole;
        }
        const fd = fs.openSync(real, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
        try {
            grants.assertFdInside(fd, p);
            const size = Math.min(st.size, MAX_INCLUDE_BYTES);
            const buf = Buffer.alloc(size);
            fs.readSync(fd, buf, 0, size, 0);
            const note = st.size > MAX_INCLUDE_BYTES ? `\n[… truncated: ${st.size} bytes, first ${MAX_INCLUDE_BYTES} shown]` : '';
            included.push(real);
            return `${lead}${p}\n<file path="${real}">\n${buf.toString('utf8')}${note}\n</file>\n`;
        } catch (e) {
            refused.push(p);
            return `${lead}@${p} (not included: ${(e as Error).message})`;
        } finally {
            fs.closeSync(fd);
        }
    });
    return { text: out, included, refused };
}

function existsInCwd(grants: GrantSet, p: string): boolean {
    try {
        return fs.existsSync(grants.resolve(p, 'read').real);
    } catch {
        return false;
    }
}
