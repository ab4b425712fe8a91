#!/usr/bin/env node
// Bundles the Electron app without the step that needs the network.
//
// `theia build` first "prepares" an Electron app: it downloads the Electron binary and swaps in a
// codec-free ffmpeg from the internet. Neither can be had where only the npm registry is reachable,
// and neither is needed to bundle: the bundle is plain JavaScript plus the native Node modules.
// This runs the same generate + copy + esbuild steps with that preparation left out, after the
// version check it also makes, so CI still catches a broken extension or an out-of-sync Electron.
// Packaging and launching the app need the real `theia build` where Electron can be downloaded.
'use strict';
const path = require('path');
// semver comes with Theia's application manager, which this script drives anyway.
const semver = require(require.resolve('semver', { paths: [path.dirname(require.resolve('@theia/application-manager'))] }));
const { ApplicationPackageManager } = require('@theia/application-manager');

async function main() {
    const mode = process.argv.includes('--mode=development') ? 'development' : 'production';
    const projectPath = path.resolve(__dirname, '..');
    const manager = new ApplicationPackageManager({ projectPath });
    manager.prepare = async () => {
        const theiaElectron = require('@theia/electron');
        const wanted = require(path.join(projectPath, 'package.json')).devDependencies.electron;
        if (!theiaElectron.electronVersion || !semver.satisfies(theiaElectron.electronVersion, wanted)) {
            throw new Error(`electron ${theiaElectron.electronVersion} is installed but the app wants ${wanted}: run npm install`);
        }
    };
    await manager.build(['--mode', mode], { mode });
}

main().catch(err => {
    console.error(`electron bundle failed: ${err && err.message ? err.message : err}`);
    process.exit(1);
});
