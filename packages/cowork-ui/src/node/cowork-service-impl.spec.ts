import '@theia/core/shared/reflect-metadata';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { expect } from 'chai';
import { Container } from '@theia/core/shared/inversify';
import { ConnectionHandler } from '@theia/core/lib/common/messaging';
import { response, startScriptedModelServer, text, toolUse, ScriptedModelServer } from '@cowork/agent/lib/src/testing';
import type { CoworkClient, PendingPermission, SequencedEvent } from '../common/cowork-protocol';
import backendModule from './cowork-backend-module';
import { CoworkServiceImpl } from './cowork-service-impl';
import { Keychain } from './keychain';

/** A system without a keychain, as on a headless Linux: every call fails like keytar does there. */
const noKeychain: Keychain = {
    get: async () => { throw new Error('Cannot autolaunch D-Bus without X11 $DISPLAY'); },
    set: async () => { throw new Error('Cannot autolaunch D-Bus without X11 $DISPLAY'); },
    remove: async () => { throw new Error('Cannot autolaunch D-Bus without X11 $DISPLAY'); }
};

class RecordingClient implements CoworkClient {
    events: SequencedEvent[] = [];
    asked: PendingPermission[] = [];
    settled: string[] = [];
    sessionsChanged = 0;
    onEvents(batch: SequencedEvent[]): void { this.events.push(...batch); }
    onSessionsChanged(): void { this.sessionsChanged++; }
    onPermissionRequested(r: PendingPermission): void { this.asked.push(r); }
    onPermissionSettled(id: string): void { this.settled.push(id); }
}

async function until(check: () => boolean, what: string): Promise<void> {
    for (let i = 0; i < 400 && !check(); i++) {
        await new Promise(r => setTimeout(r, 25));
    }
    if (!check()) {
        throw new Error(`timed out waiting for ${what}`);
    }
}

describe('Cowork backend service (CoworkRuntime over JSON-RPC)', function () {
    this.timeout(30000);
    let tmp: string;
    let work: string;
    let model: ScriptedModelServer;
    let service: CoworkServiceImpl;
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

    before(async () => {
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cowork-ui-service-'));
        work = path.join(tmp, 'work');
        fs.mkdirSync(work);
        model = await startScriptedModelServer([], {
            fallback: body => {
                const turn = body.messages.filter(m => m.role === 'assistant').length;
                const prompt = JSON.stringify(body.messages[0].content);
                if (prompt.includes('delete')) {
                    return [response([text('Deleting.'), toolUse('Delete', { paths: ['old.txt'] })]), response(text('Gone.'))][Math.min(turn, 1)];
                }
                return response(text('Hello **there**.'));
            }
        });
        process.env.COWORK_DATA_DIR = path.join(tmp, 'data');
        process.env.ANTHROPIC_BASE_URL = model.url;
        delete process.env.ANTHROPIC_API_KEY;
        delete process.env.COWORK_MODEL;
        const container = new Container();
        container.load(backendModule);
        container.rebind(Keychain).toConstantValue(noKeychain);
        service = container.get(CoworkServiceImpl);
    });

    after(async () => {
        restoreEnv();
        await model.close();
        fs.rmSync(tmp, { recursive: true, force: true });
    });

    it('reports that no key is set, and where to put one', async () => {
        const status = await service.getStatus();
        expect(status).to.deep.include({ configured: false, apiKeySource: 'none', settingsFile: path.join(tmp, 'data', 'settings.json') });
        let error: unknown;
        await service.startTask({ prompt: 'hello', grants: [{ path: work, mode: 'rw' }] }).catch(e => error = e);
        expect(String(error)).to.contain('API key');
    });

    it('keeps the API key in a 0600 file when there is no keychain, and never hands it out', async () => {
        const status = await service.setApiKey('  sk-ant-test-key  ');
        expect(status).to.deep.include({ configured: true, apiKeySource: 'settings-file' });
        expect(JSON.stringify(status)).not.to.contain('sk-ant-test-key');
        const file = path.join(tmp, 'data', 'settings.json');
        expect(fs.statSync(file).mode & 0o777).to.equal(0o600);
        expect(JSON.parse(fs.readFileSync(file, 'utf8')).apiKey).to.equal('sk-ant-test-key');
    });

    it('streams a task\'s events to every window with their place in the log', async () => {
        const one = new RecordingClient();
        const two = new RecordingClient();
        service.addClient(one);
        service.addClient(two);
        const id = await service.startTask({ prompt: 'say hello', grants: [{ path: work, mode: 'rw' }] });
        await until(() => one.events.some(e => e.event.type === 'task.finished'), 'the task to finish');
        await until(() => two.events.length === one.events.length, 'the second window');
        expect(one.events.map(e => e.seq)).to.deep.equal(one.events.map((_, i) => i));
        const log = await service.readEvents(id);
        expect(log.map(e => e.type)).to.deep.equal(one.events.map(e => e.event.type));
        expect(one.events.filter(e => e.event.type === 'text.delta').map(e => (e.event as { text: string }).text).join('')).to.equal('Hello **there**.');
        const summary = (await service.listSessions()).find(s => s.id === id)!;
        expect(summary).to.deep.include({ status: 'completed', live: false, prompt: 'say hello' });
        service.removeClient(one);
        service.removeClient(two);
    });

    it('asks the windows before a deletion and goes on with their answer', async () => {
        fs.writeFileSync(path.join(work, 'old.txt'), 'old');
        const client = new RecordingClient();
        service.addClient(client);
        const id = await service.startTask({ prompt: 'please delete old.txt', grants: [{ path: work, mode: 'rw' }] });
        await until(() => client.asked.length === 1, 'the question');
        expect(client.asked[0]).to.deep.include({ sessionId: id, tool: 'Delete', action: 'delete', paths: [path.join(fs.realpathSync(work), 'old.txt')] });
        expect((await service.pendingPermissions()).map(p => p.requestId)).to.deep.equal([client.asked[0].requestId]);
        expect((await service.listSessions()).find(s => s.id === id)!.live).to.equal(true);
        await service.answerPermission(client.asked[0].requestId, { allowed: true, remember: false });
        await until(() => client.events.some(e => e.event.type === 'task.finished'), 'the task to finish');
        expect(client.settled).to.deep.equal([client.asked[0].requestId]);
        expect(fs.existsSync(path.join(work, 'old.txt'))).to.equal(false);

        const original = await service.originalOf(id, path.join(fs.realpathSync(work), 'old.txt'));
        expect(original && fs.readFileSync(original, 'utf8')).to.equal('old');
        expect(await service.undoneChanges(id)).to.deep.equal([]);
        const undo = await service.undo(id);
        expect(undo.restored).to.have.length(1);
        expect(await service.undoneChanges(id)).to.deep.equal([`1:${path.join(fs.realpathSync(work), 'old.txt')}`]);
        expect(fs.readFileSync(path.join(work, 'old.txt'), 'utf8')).to.equal('old');
        service.removeClient(client);
    });

    it('exports a bundle and deletes a session', async () => {
        const [latest] = await service.listSessions();
        const bundle = await service.exportSession(latest.id, path.join(tmp, 'out'));
        expect(fs.statSync(bundle).size).to.be.greaterThan(0);
        await service.deleteSession(latest.id);
        expect((await service.listSessions()).map(s => s.id)).not.to.include(latest.id);
    });

    it('lists the bundled plugins and their slash commands, and refuses an unknown command', async () => {
        const plugins = await service.listPlugins();
        expect(plugins.map(p => p.name)).to.include('productivity');
        const commands = await service.listSlashCommands();
        expect(commands.length).to.be.greaterThan(0);
        for (const c of commands) {
            expect(c.name).to.match(/^[\w.-]+:[\w.-]+$/);
        }
        let error: unknown;
        await service.startTask({ prompt: '/nosuch:command now', grants: [{ path: work, mode: 'rw' }] }).catch(e => error = e);
        expect(String(error)).to.contain('/nosuch:command');
    });

    it('applies the preferences the user set to new tasks, and rejects a bad URL by name', async () => {
        await service.applySettings({ model: 'claude-test-model', concurrency: 2, networkAllowlist: ['example.com'] });
        expect((await service.getStatus()).model).to.equal('claude-test-model');
        let error: unknown;
        await service.applySettings({ baseUrl: 'not a url' }).catch(e => error = e);
        expect(String(error)).to.contain('cowork.baseUrl');
        await service.applySettings({});
        expect((await service.getStatus()).model).not.to.equal('claude-test-model');
    });

    it('binds one JSON-RPC handler on the service path', () => {
        const container = new Container();
        container.load(backendModule);
        expect(container.getAll<ConnectionHandler>(ConnectionHandler).map(h => h.path)).to.deep.equal(['/services/cowork']);
    });
});
