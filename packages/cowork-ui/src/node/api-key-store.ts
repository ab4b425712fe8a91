import { inject, injectable } from '@theia/core/shared/inversify';
import { loadSettings, saveSettings } from '@cowork/agent/lib/src/settings';
import { Keychain } from './keychain';

const SERVICE = 'cowork';
const ACCOUNT = 'anthropic-api-key';

export type ApiKeySource = 'environment' | 'secure-storage' | 'settings-file' | 'none';

/**
 * Where the Anthropic API key lives: the system keychain where there is one, else the agent's
 * settings file (mode 0600, through settings.ts's saveSettings). The key stays in the backend.
 */
@injectable()
export class ApiKeyStore {
    @inject(Keychain) protected readonly keychain: Keychain;

    /** The key and where it came from: the environment wins, as it does for the CLI. */
    async read(): Promise<{ key: string | undefined; source: ApiKeySource }> {
        if (process.env.ANTHROPIC_API_KEY) {
            return { key: process.env.ANTHROPIC_API_KEY, source: 'environment' };
        }
        const stored = await this.keychain.get(SERVICE, ACCOUNT).catch(() => undefined);
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
            await this.keychain.set(SERVICE, ACCOUNT, trimmed);
            // The file must not keep an older key that would look like the current one.
            saveSettings({ apiKey: undefined });
            return 'secure-storage';
        } catch {
            // No keychain on this system (no Secret Service on a headless Linux): the 0600 file.
            saveSettings({ apiKey: trimmed });
            return 'settings-file';
        }
    }
}
