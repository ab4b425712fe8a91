import { expect } from 'chai';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
    dataDir, DEFAULT_MODEL, DEFAULT_SETTINGS, loadSettings, MissingApiKeyError, requireApiKey, saveSettings, SettingsError, settingsFilePath
} from './settings';

describe('settings', () => {
    let home: string;

    beforeEach(() => {
        home = fs.mkdtempSync(path.join(os.tmpdir(), 'cowork-settings-'));
    });

    afterEach(() => {
        fs.rmSync(home, { recursive: true, force: true });
    });

    it('finds the data directory: COWORK_DATA_DIR, else XDG_DATA_HOME/cowork, else ~/.cowork', () => {
        expect(dataDir({ COWORK_DATA_DIR: '/a/b', XDG_DATA_HOME: '/x' })).to.equal('/a/b');
        expect(dataDir({ XDG_DATA_HOME: '/x' })).to.equal('/x/cowork');
        expect(dataDir({})).to.equal(path.join(os.homedir(), '.cowork'));
        expect(settingsFilePath({ COWORK_DATA_DIR: '/a/b' })).to.equal('/a/b/settings.json');
    });

    it('uses the defaults when there is no file and no env', () => {
        const s = loadSettings({ COWORK_DATA_DIR: home });
        expect(s).to.deep.include({ ...DEFAULT_SETTINGS, apiKey: undefined });
        expect(s.model).to.equal(DEFAULT_MODEL);
        expect(s.settingsFile).to.equal(path.join(home, 'settings.json'));
    });

    it('takes the env over the file, and the file over the defaults', () => {
        const env = { COWORK_DATA_DIR: home };
        saveSettings({ apiKey: 'sk-file', baseUrl: 'http://file.example', model: 'file-model', maxTokens: 999, compactAt: 0.5 }, env);
        const fromFile = loadSettings(env);
        expect(fromFile).to.deep.include({ apiKey: 'sk-file', baseUrl: 'http://file.example', model: 'file-model', maxTokens: 999, compactAt: 0.5 });
        expect(fromFile.concurrency).to.equal(DEFAULT_SETTINGS.concurrency);

        const fromEnv = loadSettings({ ...env, ANTHROPIC_API_KEY: 'sk-env', ANTHROPIC_BASE_URL: 'http://127.0.0.1:9', COWORK_MODEL: 'env-model' });
        expect(fromEnv).to.deep.include({ apiKey: 'sk-env', baseUrl: 'http://127.0.0.1:9', model: 'env-model', maxTokens: 999 });
    });

    it('writes the file with mode 0600 in a 0700 directory, atomically merging changes', () => {
        const dir = path.join(home, 'data');
        const env = { COWORK_DATA_DIR: dir };
        const file = saveSettings({ apiKey: 'sk-secret', permissions: [{ tool: 'bash', action: 'delete', decision: 'deny' }] }, env);
        expect(fs.statSync(file).mode & 0o777).to.equal(0o600);
        expect(fs.statSync(dir).mode & 0o777).to.equal(0o700);
        saveSettings({ model: 'other' }, env);
        expect(JSON.parse(fs.readFileSync(file, 'utf8'))).to.deep.equal({
            apiKey: 'sk-secret', permissions: [{ tool: 'bash', action: 'delete', decision: 'deny' }], model: 'other'
        });
        saveSettings({ apiKey: undefined }, env);
        expect(loadSettings(env).apiKey).to.equal(undefined);
        expect(fs.readdirSync(dir)).to.deep.equal(['settings.json']);
    });

    it('keeps unknown keys of the file when saving', () => {
        const file = path.join(home, 'settings.json');
        fs.writeFileSync(file, JSON.stringify({ futureOption: { a: 1 } }));
        saveSettings({ model: 'x' }, { COWORK_DATA_DIR: home });
        expect(JSON.parse(fs.readFileSync(file, 'utf8'))).to.deep.equal({ futureOption: { a: 1 }, model: 'x' });
    });

    it('names the file and the field when the file is wrong', () => {
        const file = path.join(home, 'settings.json');
        const env = { COWORK_DATA_DIR: home };
        fs.writeFileSync(file, '{"model": ');
        expect(() => loadSettings(env)).to.throw(SettingsError, `settings file ${file} is not valid JSON`);
        fs.writeFileSync(file, JSON.stringify({ maxTokens: 'lots' }));
        expect(() => loadSettings(env)).to.throw(SettingsError, '"maxTokens" must be a positive integer, got "lots"');
        fs.writeFileSync(file, JSON.stringify({ permissions: [{ tool: 'bash', decision: 'maybe' }] }));
        expect(() => loadSettings(env)).to.throw(SettingsError, 'permissions[0].decision must be one of allow, ask, deny');
        fs.writeFileSync(file, JSON.stringify({ compactAt: 80 }));
        expect(() => loadSettings(env)).to.throw(SettingsError, '"compactAt" must be a fraction');
        expect(() => loadSettings({ COWORK_DATA_DIR: path.join(home, 'none'), ANTHROPIC_BASE_URL: 'not a url' }))
            .to.throw(SettingsError, 'the ANTHROPIC_BASE_URL environment variable must be an http(s) URL');
    });

    it('says exactly what to set when there is no API key', () => {
        const s = loadSettings({ COWORK_DATA_DIR: home });
        expect(() => requireApiKey(s)).to.throw(MissingApiKeyError)
            .with.property('message').that.contains('ANTHROPIC_API_KEY').and.contains(path.join(home, 'settings.json'));
        expect(requireApiKey({ ...s, apiKey: 'sk-1' })).to.equal('sk-1');
    });
});
