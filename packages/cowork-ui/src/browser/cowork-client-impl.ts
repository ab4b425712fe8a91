import { injectable } from '@theia/core/shared/inversify';
import { Emitter } from '@theia/core/lib/common/event';
import { CoworkClient, PendingPermission, SequencedEvent } from '../common/cowork-protocol';

/** This window's end of the connection: what the backend pushes, as events for the store. */
@injectable()
export class CoworkClientImpl implements CoworkClient {
    protected readonly onEventsEmitter = new Emitter<SequencedEvent[]>();
    protected readonly onSessionsChangedEmitter = new Emitter<void>();
    protected readonly onPermissionRequestedEmitter = new Emitter<PendingPermission>();
    protected readonly onPermissionSettledEmitter = new Emitter<string>();
    readonly onDidReceiveEvents = this.onEventsEmitter.event;
    readonly onDidChangeSessions = this.onSessionsChangedEmitter.event;
    readonly onDidRequestPermission = this.onPermissionRequestedEmitter.event;
    readonly onDidSettlePermission = this.onPermissionSettledEmitter.event;

    onEvents(events: SequencedEvent[]): void {
        this.onEventsEmitter.fire(events);
    }

    onSessionsChanged(): void {
        this.onSessionsChangedEmitter.fire();
    }

    onPermissionRequested(request: PendingPermission): void {
        this.onPermissionRequestedEmitter.fire(request);
    }

    onPermissionSettled(requestId: string): void {
        this.onPermissionSettledEmitter.fire(requestId);
    }
}
