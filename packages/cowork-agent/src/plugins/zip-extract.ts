import AdmZip from 'adm-zip';
import * as fs from 'fs';
import * as path from 'path';
import { UnsafePluginError } from './safe-copy';
import { isInside } from './safe-path';

export interface ZipLimits {
    maxEntries: number;
    maxBytes: number;
}

const DEFAULT_LIMITS: ZipLimits = { maxEntries: 20000, maxBytes: 512 * 1024 * 1024 };
const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

/**
 * Extracts a `.plugin`/zip archive into an empty folder. Every entry is checked before anything
 * is written: absolute names, `..` segments (zip-slip), links, and archives that unpack to more
 * than the limits are refused as a whole.
 */
export function extractPluginZip(file: string, dest: string, limits: ZipLimits = DEFAULT_LIMITS): void {
    let zip: AdmZip;
    try {
        zip = new AdmZip(file);
    } catch (e) {
        throw new UnsafePluginError(`${file} is not a readable zip archive: ${(e as Error).message}`);
    }
    const entries = zip.getEntries();
    if (entries.length > limits.maxEntries) {
        throw new UnsafePluginError(`${file} has ${entries.length} entries, over the limit of ${limits.maxEntries}`);
    }
    const realDest = fs.realpathSync(dest);
    let total = 0;
    const plan: { entry: AdmZip.IZipEntry; target: string; executable: boolean }[] = [];
    for (const entry of entries) {
        const raw = entry.rawEntryName ? entry.rawEntryName.toString('utf8') : entry.entryName;
        const name = raw.replace(/\\/g, '/');
        if (name.startsWith('/') || /^[A-Za-z]:/.test(name) || name.includes('\0')) {
            throw new UnsafePluginError(`archive entry ${JSON.stringify(raw)} has an absolute path; refused`);
        }
        if (name.split('/').some(seg => seg === '..')) {
            throw new UnsafePluginError(`archive entry ${JSON.stringify(raw)} climbs out of the plugin folder (..); refused`);
        }
        const mode = (entry.attr >>> 16) & 0xffff;
        if ((mode & S_IFMT) === S_IFLNK) {
            throw new UnsafePluginError(`archive entry ${JSON.stringify(raw)} is a symbolic link; refused`);
        }
        const target = path.resolve(realDest, name);
        if (!isInside(realDest, target)) {
            throw new UnsafePluginError(`archive entry ${JSON.stringify(raw)} points outside the plugin folder; refused`);
        }
        if (name.split('/').some(seg => seg === '__MACOSX')) {
            continue;
        }
        total += entry.header.size;
        if (total > limits.maxBytes) {
            throw new UnsafePluginError(`${file} unpacks to more than ${limits.maxBytes} bytes; refused`);
        }
        plan.push({ entry, target, executable: (mode & 0o111) !== 0 });
    }
    for (const { entry, target, executable } of plan) {
        if (entry.isDirectory) {
            fs.mkdirSync(target, { recursive: true });
            continue;
        }
        fs.mkdirSync(path.dirname(target), { recursive: true });
        const data = entry.getData();
        if (data.length !== entry.header.size) {
            throw new UnsafePluginError(`archive entry ${entry.entryName} does not unpack to its declared size; refused`);
        }
        fs.writeFileSync(target, data, { mode: executable ? 0o755 : 0o644, flag: 'wx' });
    }
}

/** The plugin folder inside an unpacked archive: the root, or its single top-level folder. */
export function findPluginRoot(dir: string): string {
    const looksLikePlugin = (d: string) => ['.claude-plugin', 'skills', 'commands', 'agents', 'hooks', '.mcp.json']
        .some(n => fs.existsSync(path.join(d, n)));
    if (looksLikePlugin(dir)) {
        return dir;
    }
    const tops = fs.readdirSync(dir).filter(n => n !== '__MACOSX' && fs.statSync(path.join(dir, n)).isDirectory());
    if (tops.length === 1 && looksLikePlugin(path.join(dir, tops[0]))) {
        return path.join(dir, tops[0]);
    }
    throw new UnsafePluginError('the archive holds no plugin (no .claude-plugin/plugin.json, skills/, commands/, agents/, hooks/ or .mcp.json)');
}
