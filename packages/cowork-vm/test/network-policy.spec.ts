import { expect } from 'chai';
import * as os from 'os';
import { forbiddenReason } from '../src/network/address-policy';
import { DomainAllowlist } from '../src/network/domain-allowlist';

describe('network policy', () => {
    describe('DomainAllowlist', () => {
        const list = new DomainAllowlist(['example.com', '*.cdn.example.org', '.pypi.org']);

        it('matches exact names, sub-domain wildcards and dot-prefixed entries', () => {
            expect(list.allows('example.com')).to.equal(true);
            expect(list.allows('EXAMPLE.com.')).to.equal(true);
            expect(list.allows('www.example.com')).to.equal(false);
            expect(list.allows('a.cdn.example.org')).to.equal(true);
            expect(list.allows('cdn.example.org')).to.equal(false);
            expect(list.allows('pypi.org')).to.equal(true);
            expect(list.allows('files.pypi.org')).to.equal(true);
        });

        it('is not fooled by look-alike suffixes', () => {
            expect(list.allows('evilexample.com')).to.equal(false);
            expect(list.allows('example.com.evil.net')).to.equal(false);
            expect(list.allows('notpypi.org')).to.equal(false);
        });

        it('rejects malformed entries with a message naming them', () => {
            expect(() => new DomainAllowlist(['http://example.com/'])).to.throw(/Invalid network allowlist entry "http:\/\/example.com\/"/);
        });
    });

    describe('forbiddenReason', () => {
        it('refuses loopback, private, link-local, CGNAT and mapped forms', () => {
            for (const a of ['127.0.0.1', '127.5.5.5', '10.1.2.3', '172.16.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', 'fe80::1', 'fd00::1', '::ffff:127.0.0.1', '::ffff:7f00:1']) {
                expect(forbiddenReason(a), a).to.be.a('string');
            }
        });

        it("refuses the host's own addresses", () => {
            const own = Object.values(os.networkInterfaces()).flat().map(i => i!.address).find(a => !a.startsWith('127.') && a !== '::1');
            if (own) {
                expect(forbiddenReason(own)).to.be.a('string');
            }
        });

        it('allows public addresses, and trusted ones the user listed', () => {
            expect(forbiddenReason('93.184.215.14')).to.equal(undefined);
            expect(forbiddenReason('2606:2800:21f:cb07:6820:80da:af6b:8b2c')).to.equal(undefined);
            expect(forbiddenReason('127.0.0.1', ['127.0.0.1'])).to.equal(undefined);
        });
    });
});
