import { expect } from 'chai';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import { SocketFileScanner } from '../src/linux/socket-files';
import { tempDir } from './sandbox-fixture';

describe('SocketFileScanner', () => {
    let root: string;
    const servers: net.Server[] = [];
    const listen = (p: string) => new Promise<void>(resolve => {
        const s = net.createServer();
        servers.push(s);
        s.listen(p, () => resolve());
    });
    const age = (dir: string) => fs.utimesSync(dir, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));

    beforeEach(() => {
        root = tempDir('sockets');
        fs.mkdirSync(path.join(root, 'a', 'b'), { recursive: true });
    });
    afterEach(() => {
        servers.splice(0).forEach(s => s.close());
        fs.rmSync(root, { recursive: true, force: true });
    });

    it('finds socket files at any depth', async () => {
        await listen(path.join(root, 'a', 'b', 'deep.sock'));
        expect(new SocketFileScanner().scan([root]).sockets).to.deep.equal([path.join(root, 'a', 'b', 'deep.sock')]);
    });

    it('sees a socket made after an earlier scan, even in a folder it had cached', async () => {
        const scanner = new SocketFileScanner();
        for (const d of [root, path.join(root, 'a'), path.join(root, 'a', 'b')]) {
            age(d);
        }
        expect(scanner.scan([root]).sockets).to.deep.equal([]);
        await listen(path.join(root, 'a', 'late.sock'));
        expect(scanner.scan([root]).sockets).to.deep.equal([path.join(root, 'a', 'late.sock')]);
    });

    it('says when a tree is too large to scan completely', () => {
        for (let i = 0; i < 20; i++) {
            fs.mkdirSync(path.join(root, `d${i}`));
        }
        expect(new SocketFileScanner(10).scan([root]).complete).to.equal(false);
    });
});
