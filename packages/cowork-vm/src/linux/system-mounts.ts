import * as fs from 'fs';

/**
 * What of the host's system the sandbox sees, read-only: /usr, the merged-/usr links, and a
 * curated part of /etc (certificates, fonts, linker cache, time zone, tool configuration).
 * Never secrets: no shadow, no ssh, no sudoers, no host passwd (a fresh one is written).
 */
export const ETC_ENTRIES = [
    'alternatives', 'ca-certificates', 'ca-certificates.conf', 'ssl', 'pki', 'crypto-policies',
    'fonts', 'ld.so.cache', 'ld.so.conf', 'ld.so.conf.d', 'localtime', 'timezone', 'zoneinfo',
    'libreoffice', 'mime.types', 'magic', 'magic.mime', 'papersize', 'paperspecs', 'nsswitch.conf',
    'gai.conf', 'protocols', 'services', 'locale.alias', 'locale.conf', 'inputrc', 'python3',
    'python3.11', 'python3.12', 'matplotlibrc', 'ImageMagick-6', 'ImageMagick-7', 'java-17-openjdk',
    'debian_version', 'os-release', 'issue', 'gtk-3.0', 'glvnd', 'X11', 'tesseract-ocr'
];

/** Top-level directories a program may expect; merged-/usr systems have them as links. */
export const ROOT_LINKS = ['bin', 'sbin', 'lib', 'lib32', 'lib64', 'libx32'];

export const SANDBOX_UID = 1000;
export const SANDBOX_USER = 'user';
export const SANDBOX_HOSTNAME = 'cowork-sandbox';

export function systemMountArgs(): string[] {
    const args = ['--ro-bind', '/usr', '/usr'];
    for (const name of ROOT_LINKS) {
        const p = `/${name}`;
        let st: fs.Stats;
        try {
            st = fs.lstatSync(p);
        } catch {
            continue;
        }
        if (st.isSymbolicLink()) {
            args.push('--symlink', fs.readlinkSync(p), p);
        } else if (st.isDirectory()) {
            args.push('--ro-bind', p, p);
        }
    }
    for (const name of ETC_ENTRIES) {
        args.push('--ro-bind-try', `/etc/${name}`, `/etc/${name}`);
    }
    return args;
}

/** Fresh identity files: the sandbox user, root, nobody; no host accounts. */
export function identityFiles(home: string): Record<'passwd' | 'group' | 'hosts' | 'hostname', string> {
    return {
        passwd: `root:x:0:0:root:/root:/bin/sh\n${SANDBOX_USER}:x:${SANDBOX_UID}:${SANDBOX_UID}:Cowork sandbox:${home}:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n`,
        group: `root:x:0:\n${SANDBOX_USER}:x:${SANDBOX_UID}:\nnogroup:x:65534:\n`,
        hosts: `127.0.0.1 localhost ${SANDBOX_HOSTNAME}\n::1 localhost ip6-localhost ip6-loopback\n`,
        hostname: `${SANDBOX_HOSTNAME}\n`
    };
}
