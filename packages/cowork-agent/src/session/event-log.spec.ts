import { expect } from 'chai';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { AgentEvent } from '../events';
import { EventLog } from './event-log';

const ev = (text: string): AgentEvent => ({ type: 'text.delta', text, sessionId: 's1', time: '2026-01-01T00:00:00.000Z' });

describe('EventLog', () => {
    let dir: string;
    beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cowork-log-')); });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('appends one event per line, privately, and reads them back in order', () => {
        const file = path.join(dir, 'events.jsonl');
        const log = new EventLog(file);
        log.append(ev('one'));
        log.append(ev('two\nwith a newline'));
        log.sync();
        log.close();
        expect(fs.statSync(file).mode & 0o777).to.equal(0o600);
        expect(fs.readFileSync(file, 'utf8').split('\n')).to.have.length(3);
        expect(EventLog.read(file).map(e => (e as { text: string }).text)).to.deep.equal(['one', 'two\nwith a newline']);
    });

    it('skips a torn last line (a crash mid-write) and keeps everything before it', () => {
        const file = path.join(dir, 'events.jsonl');
        const log = new EventLog(file);
        log.append(ev('kept'));
        log.close();
        fs.appendFileSync(file, JSON.stringify(ev('torn')).slice(0, 25));
        expect(EventLog.read(file).map(e => (e as { text: string }).text)).to.deep.equal(['kept']);
        // A resumed task appends to the same log: its first event must not be glued to the torn line.
        const reopened = new EventLog(file);
        reopened.append(ev('after restart'));
        reopened.close();
        expect(EventLog.read(file).map(e => (e as { text: string }).text)).to.deep.equal(['kept', 'after restart']);
    });

    it('reads a missing log as empty', () => {
        expect(EventLog.read(path.join(dir, 'none.jsonl'))).to.deep.equal([]);
    });

    it('refuses to append after close, naming the file', () => {
        const file = path.join(dir, 'events.jsonl');
        const log = new EventLog(file);
        log.close();
        log.close();
        expect(() => log.append(ev('late'))).to.throw(file);
    });
});
