import '@theia/core/shared/reflect-metadata';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { expect } from 'chai';
import { Container } from '@theia/core/shared/inversify';
import { ApiKeyStore } from './api-key-store';
import { Keychain } from './keychain';

/** A keychain that keeps secrets in a map: stands for the OS keychain the test machine lacks. */
class MapKeychain implements Keychain {
    readonly secrets = new Map<string, string>();
    async get(s: string, a: string) { return this.secrets.get(`${s}/${a}`); }
    async set(s: string, a: string, v: string) { this.secrets.set(`${s}/${a}`, v); }
    async remove(s: string, a: string) { this.secrets.delete(`${s}/${a}`); }
}

describe('API key store', () => {
    const KEYS = ['COWORK_DATA_DIR', 'ANTHROPIC_BASE_URL', 'ANTHROPIC_API_KEY', 'COWORK_MODEL'];
    const saved = Object.fromEntries(KEYS.map(k => [k, process.env[k]]));
    /** Puts the environment back key by key: process.env must stay the real one. */
    const restoreEnv = () => {
        for (const k of KEYS) {
            if (saved[k] === undefined) {
                delete process.env[k];
            } else {
                process.env[k] = saved[k];
            }
        }
    };
    let tmp: string;

    beforeEach(() => {
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cowork-key-'));
        process.env.COWORK_DATA_DIR = tmp;
        delete process.env.ANTHROPIC_API_KEY;
    });
    afterEach(() => {
        restoreEnv();
        fs.rmSync(tmp, { recursive: true, force: true });
    });

    function store(keychain: Keychain): ApiKeyStore {
        const c = new Container();
        c.bind(Keychain).toConstantValue(keychain);
        c.bind(ApiKeyStore).toSelf();
        return c.get(ApiKeyStore);
    }

    it('keeps the key in the keychain where there is one, and clears an older one from the file', async () => {
        fs.writeFileSync(path.join(tmp, 'settings.json'), JSON.stringify({ apiKey: 'sk-old', model: 'm' }), { mode: 0o600 });
        const keychain = new MapKeychain();
        const keys = store(keychain);
        expect(await keys.write('sk-new')).to.equal('secure-storage');
        expect(keychain.secrets.get('cowork/anthropic-api-key')).to.equal('sk-new');
        expect(JSON.parse(fs.readFileSync(path.join(tmp, 'settings.json'), 'utf8'))).to.deep.equal({ model: 'm' });
        expect(await keys.read()).to.deep.equal({ key: 'sk-new', source: 'secure-storage' });
    });

    it('lets the environment win, as the CLI does', async () => {
        process.env.ANTHROPIC_API_KEY = 'sk-env';
        const keychain = new MapKeychain();
        await keychain.set('cowork', 'anthropic-api-key', 'sk-stored');
        expect(await store(keychain).read()).to.deep.equal({ key: 'sk-env', source: 'environment' });
    });

    it('refuses an empty key', async () => {
        let error: unknown;
        await store(new MapKeychain()).write('   ').catch(e => error = e);
        expect(String(error)).to.contain('empty');
    });
});
