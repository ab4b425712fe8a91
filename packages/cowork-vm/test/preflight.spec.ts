import { expect } from 'chai';
import { createSandbox } from '../src/create-sandbox';
import { userNamespaceProblems } from '../src/linux/linux-preflight';
import { SandboxUnavailableError } from '../src/sandbox-backend';
import { buildSeccompFilter } from '../src/linux/seccomp-filter';

describe('start-up check', () => {
    const sysctls = (values: Record<string, string>) => (name: string) => values[name];

    it("names the fix for Ubuntu's AppArmor restriction", () => {
        const problems = userNamespaceProblems(sysctls({ 'kernel/apparmor_restrict_unprivileged_userns': '1' }));
        expect(problems).to.have.length(1);
        expect(problems[0]).to.include('sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0');
    });

    it('names the fix for disabled unprivileged user namespaces', () => {
        const problems = userNamespaceProblems(sysctls({ 'kernel/unprivileged_userns_clone': '0', 'user/max_user_namespaces': '0' }));
        expect(problems.join('\n')).to.include('kernel.unprivileged_userns_clone=1');
        expect(problems.join('\n')).to.include('user.max_user_namespaces=15000');
    });

    it('finds nothing wrong with permissive settings', () => {
        expect(userNamespaceProblems(sysctls({ 'kernel/apparmor_restrict_unprivileged_userns': '0', 'kernel/unprivileged_userns_clone': '1' }))).to.deep.equal([]);
    });

    it('never falls back to running unsandboxed without the explicit setting', async () => {
        let error: unknown;
        try {
            await createSandbox({ platform: 'darwin' });
        } catch (e) {
            error = e;
        }
        expect(error).to.be.instanceOf(SandboxUnavailableError);
        expect((error as Error).message).to.include('Seatbelt');
        const unsandboxed = await createSandbox({ platform: 'darwin', allowUnsandboxed: true });
        expect(unsandboxed.name).to.equal('unsandboxed');
    });

    it('builds a seccomp program bubblewrap can load (whole 8-byte instructions, ends in ALLOW)', () => {
        const prog = buildSeccompFilter('x64');
        expect(prog.length % 8).to.equal(0);
        expect(prog.readUInt16LE(prog.length - 8)).to.equal(0x06);
        expect(prog.readUInt32LE(prog.length - 4)).to.equal(0x7fff0000);
        expect(() => buildSeccompFilter('ia32')).to.throw(/x64, arm64/);
    });
});
