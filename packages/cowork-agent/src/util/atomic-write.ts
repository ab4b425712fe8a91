import * as fs from 'fs';
import * as path from 'path';
import { randomBytes } from 'crypto';

/** Writes via a temp file in the same folder + fsync + rename, so a crash never leaves half a file. */
export function writeFileAtomic(target: string, data: string | Uint8Array, mode = 0o644): void {
    const dir = path.dirname(target);
    const tmp = path.join(dir, `.${path.basename(target)}.cowork-${randomBytes(6).toString('hex')}.tmp`);
    const fd = fs.openSync(tmp, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_NOFOLLOW, mode);
    try {
        fs.writeSync(fd, typeof data === 'string' ? Buffer.from(data) : data);
        fs.fchmodSync(fd, mode);
        fs.fsyncSync(fd);
    } catch (e) {
        fs.closeSync(fd);
        fs.rmSync(tmp, { force: true });
        throw e;
    }
    fs.closeSync(fd);
    try {
        fs.renameSync(tmp, target);
    } catch (e) {
        fs.rmSync(tmp, { force: true });
        throw e;
    }
}
