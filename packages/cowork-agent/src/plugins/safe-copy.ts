import * as fs from 'fs';
import * as path from 'path';
import { isInside } from './safe-path';

export class UnsafePluginError extends Error { }

const SKIP = new Set(['.git', 'node_modules', '.DS_Store', '__MACOSX']);

/**
 * Copies a plugin folder. A link is copied as what it points to when that is inside the
 * folder; a link leading out of it refuses the whole copy (it would smuggle outside files in).
 */
export function copyPluginFolder(src: string, dest: string, limits = { maxFiles: 20000, maxBytes: 1024 * 1024 * 1024 }): void {
    const root = fs.realpathSync.native(src);
    let files = 0;
    let bytes = 0;
    const walk = (from: string, to: string, depth: number) => {
        if (depth > 30) {
            throw new UnsafePluginError(`${from}: folders nested too deep (a link loop?)`);
        }
        fs.mkdirSync(to, { recursive: true });
        for (const name of fs.readdirSync(from).sort()) {
            if (SKIP.has(name)) {
                continue;
            }
            const abs = path.join(from, name);
            const target = path.join(to, name);
            const lst = fs.lstatSync(abs);
            let real = abs;
            if (lst.isSymbolicLink()) {
                try {
                    real = fs.realpathSync.native(abs);
                } catch {
                    throw new UnsafePluginError(`${path.relative(root, abs)} is a link to a missing target; refused`);
                }
                if (!isInside(root, real)) {
                    throw new UnsafePluginError(`${path.relative(root, abs)} is a link that leads outside the plugin folder (to ${real}); refused`);
                }
            }
            const st = fs.statSync(real);
            if (st.isDirectory()) {
                walk(real, target, depth + 1);
            } else if (st.isFile()) {
                files++;
                bytes += st.size;
                if (files > limits.maxFiles || bytes > limits.maxBytes) {
                    throw new UnsafePluginError(`plugin is larger than ${limits.maxFiles} files or ${limits.maxBytes} bytes; refused`);
                }
                fs.copyFileSync(real, target);
                fs.chmodSync(target, st.mode & 0o111 ? 0o755 : 0o644);
            }
            // Sockets, devices and fifos are not plugin content: left out.
        }
    };
    walk(root, dest, 0);
}
