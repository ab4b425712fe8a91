import { inject, injectable } from '@theia/core/shared/inversify';
import { KeyStoreService } from '@theia/core/lib/common/key-store';
import { loadSettings, saveSettings } from '@cowork/agent/lib/src/settings';

const SERVICE = 'cowork';
const ACCOUNT = 'anthropic-api-key';

export type ApiKeySource = 'environment' | 'secure-storage' | 'settings-file' | 'none';

/**
 * Where the Anthropic API key lives. Secure storage (the system keychain through Theia's key store)
 * where the system has one; else the agent's 0600 settings file. The key stays in the backend.
 */
@injectable()
export class ApiKeyStore {
    @inject(KeyStoreService) protected readonly keyStore: KeyStoreService;

    /** The key and where it came from: the environment wins, as it does for the CLI. */
    async read(): Promise<{ key: string | undefined; source: ApiKeySource }> {
        if (process.env.ANTHROPIC_API_KEY) {
            return { key: process.env.ANTHROPIC_API_KEY, source: 'environment' };
        }
        const stored = await this.fromKeychain();
        if (stored) {
            return { key: stored, source: 'secure-storage' };
        }
        let fileKey: string | undefined;
        try {
            fileKey = loadSettings().apiKey;
        } catch {
            // A broken settings file is reported by the status; here it just holds no key.
        }
        return fileKey ? { key: fileKey, source: 'settings-file' } : { key: undefined, source: 'none' };
    }

    /** Stores the key; returns where it went. */
    async write(key: string): Promise<ApiKeySource> {
        const trimmed = key.trim();
        if (!trimmed) {
            throw new Error('The API key is empty');
        }
        try {
            await this.keyStore.setPassword(SERVICE, ACCOUNT, trimmed);
            if (await this.fromKeychain() === trimmed) {
                // The file must not keep an older key that would look like the current one.
                saveSettings({ apiKey: undefined });
                return 'secure-storage';
            }
        } catch {
            // No keychain on this system (no Secret Service on a headless Linux): use the 0600 file.
        }
        saveSettings({ apiKey: trimmed });
        return 'settings-file';
    }

    protected async fromKeychain(): Promise<string | undefined> {
        try {
            return await this.keyStore.getPassword(SERVICE, ACCOUNT) || undefined;
        } catch {
            return undefined;
        }
    }
}
