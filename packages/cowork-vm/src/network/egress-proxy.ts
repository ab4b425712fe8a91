import * as dns from 'dns';
import * as fs from 'fs';
import * as http from 'http';
import * as net from 'net';
import type { RefusedConnection } from '../sandbox-types';
import { forbiddenReason } from './address-policy';
import { DomainAllowlist, normalizeHost } from './domain-allowlist';

export interface EgressPolicy {
    domains: readonly string[];
    trustedAddresses?: readonly string[];
}

type Decision = { address: string } | { reason: string };

/**
 * The only way out of a sandbox with an allowlist: an HTTP proxy (CONNECT for TLS, absolute URIs
 * for plain HTTP) listening on a Unix socket on the host, reached from inside through a relay.
 * It resolves each name itself, refuses names off the list and any address that is loopback,
 * private, link-local or the host's own, and connects to the address it checked (so a second,
 * different DNS answer cannot slip in). Every refusal is reported.
 */
export class EgressProxy {
    private readonly sockets = new Set<net.Socket>();
    private readonly allowlist: DomainAllowlist;

    private constructor(
        private readonly server: http.Server,
        private readonly policy: EgressPolicy,
        private readonly onRefused: (r: RefusedConnection) => void
    ) {
        this.allowlist = new DomainAllowlist(policy.domains);
    }

    static async start(socketPath: string, policy: EgressPolicy, onRefused: (r: RefusedConnection) => void): Promise<EgressProxy> {
        const server = http.createServer();
        const proxy = new EgressProxy(server, policy, onRefused);
        server.on('connect', (req, socket, head) => proxy.handleConnect(req, socket as net.Socket, head));
        server.on('request', (req, res) => proxy.handleRequest(req, res));
        server.on('connection', s => proxy.track(s));
        server.on('clientError', (_e, s) => s.destroy());
        await new Promise<void>((resolve, reject) => {
            server.once('error', reject);
            server.listen(socketPath, () => resolve());
        });
        fs.chmodSync(socketPath, 0o600);
        return proxy;
    }

    async close(): Promise<void> {
        for (const s of this.sockets) {
            s.destroy();
        }
        await new Promise<void>(resolve => this.server.close(() => resolve()));
    }

    /** Checks a host and port against the policy; resolves the name once. */
    async decide(rawHost: string, port: number): Promise<Decision> {
        const host = normalizeHost(rawHost);
        if (!Number.isInteger(port) || port < 1 || port > 65535) {
            return { reason: `invalid port ${port}` };
        }
        if (!this.allowlist.allows(host)) {
            return { reason: `${host} is not on the network allowlist` };
        }
        let addresses: string[];
        if (net.isIP(host)) {
            addresses = [host];
        } else {
            try {
                addresses = (await dns.promises.lookup(host, { all: true })).map(a => a.address);
            } catch (e) {
                return { reason: `${host} could not be resolved (${(e as NodeJS.ErrnoException).code ?? String(e)})` };
            }
        }
        for (const a of addresses) {
            const why = forbiddenReason(a, this.policy.trustedAddresses ?? []);
            if (why) {
                return { reason: `${host} resolves to ${why}` };
            }
        }
        if (addresses.length === 0) {
            return { reason: `${host} has no address` };
        }
        return { address: addresses[0] };
    }

    private track(s: net.Socket): void {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => s.destroy());
    }

    private refuse(host: string, port: number, reason: string): void {
        this.onRefused({ host, port, reason, time: new Date().toISOString() });
    }

    private async handleConnect(req: http.IncomingMessage, client: net.Socket, head: Buffer): Promise<void> {
        const target = parseAuthority(req.url ?? '');
        if (!target) {
            client.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
            return;
        }
        const decision = await this.decide(target.host, target.port);
        if ('reason' in decision) {
            this.refuse(target.host, target.port, decision.reason);
            client.end(`HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\nCowork sandbox: ${decision.reason}\n`);
            return;
        }
        const upstream = net.connect(target.port, decision.address);
        this.track(upstream);
        upstream.once('connect', () => {
            client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
            if (head.length) {
                upstream.write(head);
            }
            upstream.pipe(client);
            client.pipe(upstream);
        });
        upstream.once('error', e => {
            if (!client.destroyed) {
                client.end(`HTTP/1.1 502 Bad Gateway\r\nConnection: close\r\n\r\n${e.message}\n`);
            }
        });
        client.once('close', () => upstream.destroy());
    }

    private async handleRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
        let url: URL;
        try {
            url = new URL(req.url ?? '');
        } catch {
            res.writeHead(400, { 'content-type': 'text/plain' }).end('Cowork sandbox proxy: expected an absolute http:// URL\n');
            return;
        }
        if (url.protocol !== 'http:') {
            res.writeHead(400, { 'content-type': 'text/plain' }).end(`Cowork sandbox proxy: ${url.protocol} needs CONNECT\n`);
            return;
        }
        const port = url.port ? Number(url.port) : 80;
        const decision = await this.decide(url.hostname, port);
        if ('reason' in decision) {
            this.refuse(normalizeHost(url.hostname), port, decision.reason);
            res.writeHead(403, { 'content-type': 'text/plain' }).end(`Cowork sandbox: ${decision.reason}\n`);
            return;
        }
        const headers = { ...req.headers };
        delete headers['proxy-connection'];
        delete headers['proxy-authorization'];
        const upstream = http.request({
            host: decision.address, port, method: req.method, path: url.pathname + url.search,
            headers, setHost: false
        }, up => {
            res.writeHead(up.statusCode ?? 502, up.headers);
            up.pipe(res);
        });
        upstream.on('error', e => {
            if (!res.headersSent) {
                res.writeHead(502, { 'content-type': 'text/plain' });
            }
            res.end(`Cowork sandbox proxy: ${e.message}\n`);
        });
        req.pipe(upstream);
    }
}

function parseAuthority(authority: string): { host: string; port: number } | undefined {
    const m = /^\[?([^\]]+?)\]?:(\d+)$/.exec(authority);
    return m ? { host: m[1], port: Number(m[2]) } : undefined;
}
