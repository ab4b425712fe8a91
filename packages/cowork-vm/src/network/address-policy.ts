import * as net from 'net';
import * as os from 'os';

/**
 * Addresses the egress proxy never connects to, whatever name led there: the host itself,
 * its LAN, cloud metadata endpoints. A name on the allowlist that resolves to one of these is a
 * rebinding attempt or a misconfiguration either way.
 */
const BLOCKED_V4: [string, number][] = [
    ['0.0.0.0', 8],        // "this network"
    ['10.0.0.0', 8],       // private
    ['100.64.0.0', 10],    // carrier-grade NAT
    ['127.0.0.0', 8],      // loopback
    ['169.254.0.0', 16],   // link-local (cloud metadata lives here)
    ['172.16.0.0', 12],    // private
    ['192.0.0.0', 24],     // IETF protocol assignments
    ['192.168.0.0', 16],   // private
    ['198.18.0.0', 15],    // benchmarking
    ['224.0.0.0', 4],      // multicast
    ['240.0.0.0', 4]       // reserved, broadcast
];

const BLOCKED_V6: [string, number][] = [
    ['::', 128],           // unspecified
    ['::1', 128],          // loopback
    ['fc00::', 7],         // unique local
    ['fe80::', 10],        // link-local
    ['ff00::', 8],         // multicast
    ['64:ff9b::', 96]      // NAT64 can reach private v4
];

const blockList = new net.BlockList();
for (const [addr, prefix] of BLOCKED_V4) {
    blockList.addSubnet(addr, prefix, 'ipv4');
}
for (const [addr, prefix] of BLOCKED_V6) {
    blockList.addSubnet(addr, prefix, 'ipv6');
}

/** Why `address` must not be connected to, or undefined when it is a public address. */
export function forbiddenReason(address: string, trusted: readonly string[] = []): string | undefined {
    const family = net.isIP(address);
    if (family === 0) {
        return `${address} is not an IP address`;
    }
    const v4 = family === 6 ? mappedV4(address) : address;
    if (trusted.includes(address) || (v4 && trusted.includes(v4))) {
        return undefined;
    }
    if (v4 ? blockList.check(v4, 'ipv4') : blockList.check(address, 'ipv6')) {
        return `${address} is a loopback, private, link-local or reserved address`;
    }
    if (hostAddresses().has(v4 ?? address.toLowerCase())) {
        return `${address} is one of this computer's own addresses`;
    }
    return undefined;
}

/** `::ffff:a.b.c.d` and `::ffff:xxxx:xxxx` carry an IPv4 address. */
function mappedV4(v6: string): string | undefined {
    const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(v6);
    if (m) {
        return m[1];
    }
    const h = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(v6);
    if (h) {
        const hi = parseInt(h[1], 16);
        const lo = parseInt(h[2], 16);
        return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
    }
    return undefined;
}

function hostAddresses(): Set<string> {
    const out = new Set<string>();
    for (const list of Object.values(os.networkInterfaces())) {
        for (const a of list ?? []) {
            out.add(a.address.toLowerCase().replace(/%.*$/, ''));
        }
    }
    return out;
}
