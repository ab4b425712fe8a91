import * as cp from 'child_process';
import * as fs from 'fs';
import { injectable } from '@theia/core/shared/inversify';

/** Opens a file with the program the system associates with it, on the machine running Cowork. */
@injectable()
export class SystemOpener {
    async open(file: string): Promise<void> {
        if (!fs.existsSync(file)) {
            throw new Error(`${file} does not exist`);
        }
        const [command, args] = process.platform === 'darwin' ? ['open', [file]]
            : process.platform === 'win32' ? ['cmd', ['/c', 'start', '', file]]
                : ['xdg-open', [file]];
        await new Promise<void>((resolve, reject) => {
            const child = cp.spawn(command, args, { detached: true, stdio: 'ignore' });
            child.once('error', e => reject((e as NodeJS.ErrnoException).code === 'ENOENT'
                ? new Error(`No program to open files with is installed on this machine (${command} is missing)`)
                : new Error(`Could not open ${file}: ${e.message}`)));
            child.once('spawn', () => {
                child.unref();
                resolve();
            });
        });
    }
}
