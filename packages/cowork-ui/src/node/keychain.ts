import { injectable } from '@theia/core/shared/inversify';

export const Keychain = Symbol('Keychain');
/** The system's secure storage, or an error saying there is none. Never an in-memory stand-in. */
export interface Keychain {
    get(service: string, account: string): Promise<string | undefined>;
    set(service: string, account: string, secret: string): Promise<void>;
    remove(service: string, account: string): Promise<void>;
}

type Keytar = typeof import('keytar');

/**
 * The OS keychain through keytar (libsecret's Secret Service on Linux, Keychain on macOS,
 * Credential Vault on Windows). Theia's own key store silently keeps secrets in memory when no
 * keychain answers, which would lose the key at restart; this one says so instead.
 */
@injectable()
export class KeytarKeychain implements Keychain {
    protected keytar: Promise<Keytar> | undefined;

    async get(service: string, account: string): Promise<string | undefined> {
        return (await (await this.load()).getPassword(service, account)) ?? undefined;
    }

    async set(service: string, account: string, secret: string): Promise<void> {
        await (await this.load()).setPassword(service, account, secret);
    }

    async remove(service: string, account: string): Promise<void> {
        await (await this.load()).deletePassword(service, account);
    }

    protected load(): Promise<Keytar> {
        this.keytar ??= (async () => {
            const keytar: Keytar = require('keytar');
            // A probe: on a Linux without a Secret Service this throws instead of storing anything.
            await keytar.findCredentials('cowork-keychain-probe');
            return keytar;
        })();
        this.keytar.catch(() => this.keytar = undefined);
        return this.keytar;
    }
}
