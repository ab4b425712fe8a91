import { injectable } from '@theia/core/shared/inversify';
import type { AgentEvent } from '@cowork/agent/lib/src/events';
import type { CoworkClient, PendingPermission, SequencedEvent } from '../common/cowork-protocol';

/** Events gathered for this long go out as one message: a fast stream stays cheap on the wire. */
const FLUSH_MS = 16;
const MAX_BATCH = 1000;

/** Sends what happens to every open window; one failing window does not stop the others. */
@injectable()
export class EventBroadcaster {
    protected readonly clients = new Set<CoworkClient>();
    protected batch: SequencedEvent[] = [];
    protected timer: ReturnType<typeof setTimeout> | undefined;

    add(client: CoworkClient): void {
        this.clients.add(client);
    }

    remove(client: CoworkClient): void {
        this.clients.delete(client);
    }

    event(seq: number, event: AgentEvent): void {
        this.batch.push({ seq, event });
        if (this.batch.length >= MAX_BATCH) {
            this.flush();
        } else if (!this.timer) {
            this.timer = setTimeout(() => this.flush(), FLUSH_MS);
        }
    }

    flush(): void {
        if (this.timer) {
            clearTimeout(this.timer);
            this.timer = undefined;
        }
        if (this.batch.length === 0) {
            return;
        }
        const batch = this.batch;
        this.batch = [];
        this.each(c => c.onEvents(batch));
    }

    sessionsChanged(): void {
        this.each(c => c.onSessionsChanged());
    }

    permissionRequested(request: PendingPermission): void {
        // The event that says why comes first, so the panel can show the question in its place.
        this.flush();
        this.each(c => c.onPermissionRequested(request));
    }

    permissionSettled(requestId: string): void {
        this.flush();
        this.each(c => c.onPermissionSettled(requestId));
    }

    protected each(send: (client: CoworkClient) => void): void {
        for (const client of this.clients) {
            try {
                send(client);
            } catch {
                // A window that went away is removed when its connection closes.
            }
        }
    }
}
