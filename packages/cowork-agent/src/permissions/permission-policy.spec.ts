import { expect } from 'chai';
import { DEFAULT_POLICY, PermissionPolicy } from './permission-policy';

describe('PermissionPolicy', () => {
    it('asks before destroying data and allows the rest by default', () => {
        const p = new PermissionPolicy();
        for (const action of ['delete', 'overwrite', 'move-over', 'shell-delete', 'shell-overwrite', 'connector']) {
            expect(p.decide('Anything', action, ['/w/a.txt']), action).to.equal('ask');
        }
        expect(p.decide('Write', 'create', ['/w/a.txt'])).to.equal('allow');
    });

    it('lets the first matching rule decide, user rules before the defaults', () => {
        const p = new PermissionPolicy([
            { tool: 'Delete', path: '**/*.tmp', decision: 'allow' },
            { tool: 'Delete', decision: 'deny' }
        ]);
        expect(p.decide('Delete', 'delete', ['/w/cache/x.tmp'])).to.equal('allow');
        expect(p.decide('Delete', 'delete', ['/w/report.docx'])).to.equal('deny');
        // Other tools fall through to the defaults.
        expect(p.decide('Write', 'overwrite', ['/w/x.tmp'])).to.equal('ask');
    });

    it('matches a path rule only when every path matches', () => {
        const p = new PermissionPolicy([{ action: 'delete', path: '/w/scratch/**', decision: 'allow' }]);
        expect(p.decide('Delete', 'delete', ['/w/scratch/a', '/w/scratch/b/c'])).to.equal('allow');
        expect(p.decide('Delete', 'delete', ['/w/scratch/a', '/w/keep/b'])).to.equal('ask');
        expect(p.decide('Delete', 'delete', [])).to.equal('ask');
    });

    it('matches dot files with path globs', () => {
        const p = new PermissionPolicy([{ action: 'overwrite', path: '/w/**', decision: 'deny' }]);
        expect(p.decide('Write', 'overwrite', ['/w/.config/settings'])).to.equal('deny');
    });

    it('matches tool names by glob and actions exactly', () => {
        const p = new PermissionPolicy([
            { tool: 'mcp__drive__*', action: 'connector', decision: 'allow' },
            { tool: 'mcp__*', decision: 'deny' }
        ]);
        expect(p.decide('mcp__drive__search', 'connector', [])).to.equal('allow');
        expect(p.decide('mcp__mail__send', 'connector', [])).to.equal('deny');
        expect(p.decide('mcp__drive__search', 'network', [])).to.equal('deny');
        expect(p.decide('Bash', 'connector', [])).to.equal('ask');
    });

    it('asks when no rule matches at all', () => {
        const p = new PermissionPolicy([], []);
        expect(p.decide('Write', 'create', [])).to.equal('ask');
        expect(DEFAULT_POLICY[DEFAULT_POLICY.length - 1]).to.deep.equal({ decision: 'allow' });
    });
});
