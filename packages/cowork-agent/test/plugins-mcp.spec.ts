import { expect } from 'chai';
import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import { ConnectorApprovals } from '../src/mcp/connector-approvals';
import { ConnectorManager } from '../src/mcp/connector-manager';
import { createConnectorTools } from '../src/mcp/connector-tools';
import { expandVars } from '../src/mcp/expand-vars';
import type { McpServerConfig } from '../src/mcp/mcp-config';
import { McpConnection } from '../src/mcp/mcp-connection';
import { PluginHost } from '../src/plugins/plugin-host';
import { FIXTURES, makeContext, tempDir, toolText } from './plugins-test-helpers';

const EVERYTHING = require.resolve('@modelcontextprotocol/server-everything/dist/index.js');
const FILESYSTEM = require.resolve('@modelcontextprotocol/server-filesystem/dist/index.js');
const CRASHY = path.join(FIXTURES, 'mcp/crashy-server.mjs');
const HANGING = path.join(FIXTURES, 'mcp/hanging-server.mjs');

function stdio(name: string, args: string[], extra: Partial<McpServerConfig> = {}): McpServerConfig {
    return { name, transport: 'stdio', command: process.execPath, args, notConfigured: false, file: 'test', line: 1, ...extra };
}

async function freePort(): Promise<number> {
    return new Promise(resolve => {
        const srv = net.createServer();
        srv.listen(0, '127.0.0.1', () => {
            const port = (srv.address() as net.AddressInfo).port;
            srv.close(() => resolve(port));
        });
    });
}

async function waitForPort(port: number, ms = 20000): Promise<void> {
    const until = Date.now() + ms;
    while (Date.now() < until) {
        const ok = await new Promise<boolean>(resolve => {
            const s = net.connect(port, '127.0.0.1', () => { s.end(); resolve(true); });
            s.on('error', () => resolve(false));
        });
        if (ok) {
            return;
        }
        await new Promise(r => setTimeout(r, 100));
    }
    throw new Error(`server on port ${port} did not start`);
}

async function everythingOver(conn: McpConnection): Promise<void> {
    const tools = await conn.listTools();
    expect(tools.map(t => t.name)).to.include.members(['echo', 'get-sum']);
    const echo = await conn.callTool('echo', { message: 'hello over the wire' });
    expect(JSON.stringify(echo.content)).to.contain('Echo: hello over the wire');
    const resources = await conn.listResources();
    const doc = resources.resources.find(r => r.mimeType?.startsWith('text/'))!;
    const read = await conn.readResource(doc.uri);
    expect((read.contents[0] as { text?: string }).text?.length).to.be.greaterThan(0);
    const prompt = await conn.getPrompt('args-prompt', { city: 'Lyon' });
    expect(JSON.stringify(prompt.messages)).to.contain('Lyon');
    expect(conn.status()).to.include({ state: 'connected', tools: tools.length });
}

describe('MCP connectors', function () {
    this.timeout(60000);
    const children: ChildProcess[] = [];
    const conns: McpConnection[] = [];
    const track = (c: McpConnection) => {
        conns.push(c);
        return c;
    };

    after(async () => {
        await Promise.all(conns.map(c => c.close()));
        children.forEach(c => c.kill('SIGKILL'));
    });

    it('server-everything over stdio: tools, a call, a resource, a prompt', async () => {
        await everythingOver(track(new McpConnection(stdio('everything', [EVERYTHING, 'stdio']))));
    });

    for (const mode of ['streamableHttp', 'sse'] as const) {
        it(`server-everything over ${mode === 'sse' ? 'SSE' : 'streamable HTTP'}`, async () => {
            const port = await freePort();
            const child = spawn(process.execPath, [EVERYTHING, mode], { env: { ...process.env, PORT: String(port) }, stdio: 'ignore' });
            children.push(child);
            await waitForPort(port);
            const cfg: McpServerConfig = mode === 'sse'
                ? { name: 'ev-sse', transport: 'sse', url: `http://127.0.0.1:${port}/sse`, notConfigured: false, file: 't', line: 1 }
                : { name: 'ev-http', transport: 'http', url: 'http://127.0.0.1:${EV_PORT}/mcp', headers: { Authorization: 'Bearer ${EV_TOKEN:-none}' }, notConfigured: false, file: 't', line: 1 };
            await everythingOver(track(new McpConnection(cfg, { vars: { EV_PORT: String(port) } })));
            if (mode === 'sse') {
                // As in real configs: declared "http" but served as SSE at /sse.
                const declaredHttp = track(new McpConnection({ ...cfg, name: 'square-like', transport: 'http' }));
                expect((await declaredHttp.listTools()).length).to.be.greaterThan(0);
            }
        });
    }

    it('server-filesystem over stdio reads a granted folder', async () => {
        const dir = tempDir();
        fs.writeFileSync(path.join(dir, 'hello.txt'), 'hello from disk');
        const conn = track(new McpConnection(stdio('fs', [FILESYSTEM, dir])));
        const tools = (await conn.listTools()).map(t => t.name);
        expect(tools).to.include('list_directory');
        const list = await conn.callTool('list_directory', { path: dir });
        expect(JSON.stringify(list.content)).to.contain('hello.txt');
        const readTool = tools.includes('read_text_file') ? 'read_text_file' : 'read_file';
        const read = await conn.callTool(readTool, { path: path.join(dir, 'hello.txt') });
        expect(JSON.stringify(read.content)).to.contain('hello from disk');
    });

    it('a server that never answers times out with a clear error and a failed status', async () => {
        const conn = track(new McpConnection(stdio('hangs', [HANGING]), { connectTimeoutMs: 1500 }));
        let err: Error | undefined;
        try {
            await conn.listTools();
        } catch (e) {
            err = e as Error;
        }
        expect(err?.message).to.match(/^Connector hangs: could not connect: did not answer within 2s/);
        expect(conn.status()).to.include({ state: 'failed' });
        expect(conn.status().reason).to.match(/did not answer/);
    });

    it('a server that crashes is reported and restarted on next use', async () => {
        const conn = track(new McpConnection(stdio('crashy', [CRASHY]), { callTimeoutMs: 1500 }));
        const first = JSON.stringify((await conn.callTool('ping', {})).content);
        let err: Error | undefined;
        try {
            await conn.callTool('crash', {});
        } catch (e) {
            err = e as Error;
        }
        expect(err?.message).to.match(/^Connector crashy: /);
        expect(conn.status().state).to.equal('failed');
        const second = JSON.stringify((await conn.callTool('ping', {})).content);
        expect(second).to.match(/pong \d+/);
        expect(second).to.not.equal(first, 'a new process answers');
        expect(conn.status()).to.include({ state: 'connected', restarts: 1 });
    });

    it('a call that hangs times out, and the server is restarted', async () => {
        const conn = track(new McpConnection(stdio('crashy', [CRASHY]), { callTimeoutMs: 1000 }));
        await conn.callTool('ping', {});
        let err: Error | undefined;
        try {
            await conn.callTool('hang', {});
        } catch (e) {
            err = e as Error;
        }
        expect(err?.message).to.match(/calling hang timed out after 1s; the server was stopped and will be restarted/);
        expect(JSON.stringify((await conn.callTool('ping', {})).content)).to.match(/pong/);
        expect(conn.status().restarts).to.equal(1);
    });

    it('passes a server only the variables its config maps, and keeps secrets out of messages', async () => {
        process.env.COWORK_TEST_SECRET = 'sk-never-share';
        try {
            const conn = track(new McpConnection(stdio('crashy', [CRASHY], { env: { MAPPED: '${MY_VALUE:-fallback}', TOKEN: '${MY_TOKEN}' } }), { vars: { MY_TOKEN: 'tok-123456' } }));
            const res = await conn.callTool('env', { names: ['MAPPED', 'TOKEN', 'COWORK_TEST_SECRET', 'ANTHROPIC_API_KEY'] });
            expect(JSON.parse(toolText(res.content as never))).to.deep.equal({ MAPPED: 'fallback', TOKEN: 'tok-123456', COWORK_TEST_SECRET: null, ANTHROPIC_API_KEY: null });
        } finally {
            delete process.env.COWORK_TEST_SECRET;
        }
        const bad = track(new McpConnection({ name: 'down', transport: 'http', url: 'http://127.0.0.1:9/mcp?key=${KEY}', headers: { Authorization: 'Bearer ${KEY}' }, notConfigured: false, file: 't', line: 1 }, { vars: { KEY: 'supersecret-key' }, connectTimeoutMs: 3000 }));
        let err: Error | undefined;
        try {
            await bad.listTools();
        } catch (e) {
            err = e as Error;
        }
        expect(err?.message).to.match(/^Connector down: could not connect/);
        expect(err?.message).to.not.contain('supersecret-key');
        expect(bad.status().reason).to.not.contain('supersecret-key');
    });

    it('expands ${VAR} and ${VAR:-default} but not $VAR, and leaves unset ones literal', () => {
        expect(expandVars('${A}/${B:-dflt}/$A/${C}', { A: 'x' })).to.equal('x/dflt/$A/${C}');
    });

    it('an empty URL is "not configured" and never connected', async () => {
        const m = new ConnectorManager([{ name: 'gmail', transport: 'http', url: '', notConfigured: true, file: 't', line: 1 }]);
        await m.connectAll();
        expect(m.status()[0]).to.include({ state: 'not-configured' });
        expect(m.status()[0].reason).to.match(/not configured/);
    });
});

describe('connector meta-tools through PluginHost', function () {
    this.timeout(60000);

    function pluginWithCrashy(): string {
        const root = tempDir();
        fs.mkdirSync(path.join(root, 'crashy-plugin/.claude-plugin'), { recursive: true });
        fs.mkdirSync(path.join(root, 'crashy-plugin/skills/use-it'), { recursive: true });
        fs.writeFileSync(path.join(root, 'crashy-plugin/.claude-plugin/plugin.json'), JSON.stringify({ name: 'crashy-plugin' }));
        fs.writeFileSync(path.join(root, 'crashy-plugin/skills/use-it/SKILL.md'), '---\nname: use-it\ndescription: Uses the crashy connector to say ping\n---\nCall mcp__crashy__ping. Post to ~~chat.');
        fs.writeFileSync(path.join(root, 'crashy-plugin/CONNECTORS.md'), '| Category | Placeholder | Included servers |\n|---|---|---|\n| Chat | `~~chat` | Crashy |\n');
        fs.writeFileSync(path.join(root, 'crashy-plugin/.mcp.json'), JSON.stringify({
            mcpServers: {
                crashy: { command: process.execPath, args: [CRASHY] },
                'google drive': { type: 'http', url: '' }
            }
        }));
        return path.join(root, 'crashy-plugin');
    }

    it('lists connector tools compactly, loads one schema on demand, and calls it after asking once (persisted)', async () => {
        const data = tempDir();
        const extra = pluginWithCrashy();
        const host = new PluginHost({ dataDir: data, bundledDir: null, extraPluginDirs: [extra] });
        try {
            const names = host.tools().map(t => t.name);
            expect(names).to.deep.equal(['Skill', 'ConnectorTools', 'ConnectorCall', 'ConnectorRead']);
            const section = host.systemPromptSection();
            expect(section).to.contain('- crashy-plugin:use-it: Uses the crashy connector');
            expect(section).to.contain('- crashy: available');
            expect(section).to.contain('- google drive: not configured');
            expect(section).to.not.contain('inputSchema');
            const tool = (n: string) => host.tools().find(t => t.name === n)!;
            const { ctx, asked } = makeContext(tempDir());
            const listing = toolText((await tool('ConnectorTools').run({}, ctx)).content);
            expect(listing).to.contain('## crashy (connected, 4 tools)');
            expect(listing).to.contain('- mcp__crashy__ping: Answers pong and the process id');
            expect(listing).to.match(/## google drive \(not-configured: not configured/);
            const found = toolText((await tool('ConnectorTools').run({ query: 'pong' }, ctx)).content);
            expect(found).to.contain('mcp__crashy__ping');
            expect(found).to.not.contain('mcp__crashy__crash');
            const schema = toolText((await tool('ConnectorTools').run({ tool: 'mcp__crashy__env' }, ctx)).content);
            expect(schema).to.contain('"names"');
            const pong = await tool('ConnectorCall').run({ tool: 'mcp__crashy__ping', input: {} }, ctx);
            expect(toolText(pong.content)).to.match(/^pong \d+$/);
            await tool('ConnectorCall').run({ tool: 'mcp__crashy__ping', input: {} }, ctx);
            expect(asked).to.deep.equal(['mcp__crashy__ping']);
            const direct = await host.connectorTool('mcp__crashy__ping');
            expect(direct?.name).to.equal('mcp__crashy__ping');
            expect(toolText((await direct!.run({}, ctx)).content)).to.match(/^pong/);
            // Resources: listing is free, reading asks once per connector.
            const resources = toolText((await tool('ConnectorRead').run({ server: 'crashy' }, ctx)).content);
            expect(resources).to.equal('No resources.');
            // The ~~chat placeholder now names the connector.
            const skill = toolText((await tool('Skill').run({ skill: 'use-it' }, ctx)).content);
            expect(skill).to.contain('Post to chat [connector: crashy]');
        } finally {
            await host.close();
        }
        const again = new PluginHost({ dataDir: data, bundledDir: null, extraPluginDirs: [extra] });
        try {
            const { ctx, asked } = makeContext(tempDir());
            await again.tools().find(t => t.name === 'ConnectorCall')!.run({ tool: 'mcp__crashy__ping', input: {} }, ctx);
            expect(asked).to.deep.equal([], 'the approval was kept in the data folder');
            expect(new ConnectorApprovals(path.join(data, 'connector-approvals.json')).list()).to.deep.equal(['mcp__crashy__ping']);
        } finally {
            await again.close();
        }
    });

    it('lists a connector\'s resources and reads one after asking once per connector', async () => {
        const m = new ConnectorManager([stdio('everything', [EVERYTHING, 'stdio'])]);
        const approvals = new ConnectorApprovals(path.join(tempDir(), 'a.json'));
        const read = createConnectorTools(m, approvals).find(t => t.name === 'ConnectorRead')!;
        const { ctx, asked } = makeContext(tempDir());
        try {
            const list = toolText((await read.run({ server: 'everything' }, ctx)).content);
            expect(asked).to.deep.equal([]);
            const uri = /- (demo:\/\/resource\/static\/document\/\S+)/.exec(list)![1];
            const first = toolText((await read.run({ server: 'everything', uri }, ctx)).content);
            expect(first.length).to.be.greaterThan(20);
            await read.run({ server: 'everything', uri }, ctx);
            expect(asked).to.deep.equal(['mcp__everything__read_resource']);
        } finally {
            await m.close();
        }
    });

    it('a denied tool is refused and not called; unknown tools get a helpful error', async () => {
        const m = new ConnectorManager([stdio('crashy', [CRASHY])]);
        const approvals = new ConnectorApprovals(path.join(tempDir(), 'a.json'));
        const [, call] = createConnectorTools(m, approvals);
        const { ctx, asked } = makeContext(tempDir(), false);
        try {
            let err: Error | undefined;
            try {
                await call.run({ tool: 'mcp__crashy__crash', input: {} }, ctx);
            } catch (e) {
                err = e as Error;
            }
            expect(err?.message).to.equal('The user did not allow mcp__crashy__crash.');
            expect(m.status()[0].state).to.equal('connected', 'the crash tool never ran');
            try {
                await call.run({ tool: 'mcp__crashy__crash', input: {} }, ctx);
            } catch {
                // denied again, from memory
            }
            expect(asked).to.deep.equal(['mcp__crashy__crash']);
            err = undefined;
            try {
                await call.run({ tool: 'mcp__crashy__pin', input: {} }, ctx);
            } catch (e) {
                err = e as Error;
            }
            expect(err?.message).to.match(/No connector tool mcp__crashy__pin\. Did you mean mcp__crashy__ping/);
            err = undefined;
            try {
                await call.run({ tool: 'mcp__nope__x', input: {} }, ctx);
            } catch (e) {
                err = e as Error;
            }
            expect(err?.message).to.match(/There is no connector "nope"; connectors: crashy/);
        } finally {
            await m.close();
        }
    });
});
