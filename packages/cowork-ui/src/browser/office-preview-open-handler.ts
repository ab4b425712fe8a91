import { inject, injectable } from '@theia/core/shared/inversify';
import URI from '@theia/core/lib/common/uri';
import { MessageService } from '@theia/core/lib/common/message-service';
import { OpenHandler, OpenerService, open } from '@theia/core/lib/browser/opener-service';
import { ApplicationShell } from '@theia/core/lib/browser/shell/application-shell';
import { CoworkService } from '../common/cowork-protocol';
import { OfficePreviewWidget } from './office-preview-widget';
import { messageOf } from './task-actions';

const OFFICE = /\.(docx|xlsx|xlsm|pptx)$/i;

export const OfficePreviewWidgetFactory = Symbol('OfficePreviewWidgetFactory');
export type OfficePreviewWidgetFactory = () => OfficePreviewWidget;

/**
 * Opens .docx, .xlsx and .pptx files as rendered pages (LibreOffice, through the office package's
 * Check renderer), with "Open in System App" beside for editing them in an office program.
 */
@injectable()
export class OfficePreviewOpenHandler implements OpenHandler {
    readonly id = 'cowork-office-preview';
    readonly label = 'Preview as Rendered Pages';
    readonly iconClass = 'codicon codicon-preview';

    @inject(CoworkService) protected readonly service: CoworkService;
    @inject(MessageService) protected readonly messages: MessageService;
    @inject(OpenerService) protected readonly openers: OpenerService;
    @inject(ApplicationShell) protected readonly shell: ApplicationShell;
    @inject(OfficePreviewWidgetFactory) protected readonly createWidget: OfficePreviewWidgetFactory;

    /** Renders under way, by file: a double click in the explorer opens twice. */
    protected readonly inFlight = new Map<string, Promise<object | undefined>>();

    canHandle(uri: URI): number {
        // Above the text editor (100) and the mini-browser: an office file is not text.
        return uri.scheme === 'file' && OFFICE.test(uri.path.base) ? 500 : 0;
    }

    open(uri: URI): Promise<object | undefined> {
        const file = uri.path.fsPath();
        let pending = this.inFlight.get(file);
        if (!pending) {
            pending = this.preview(uri, file).finally(() => this.inFlight.delete(file));
            this.inFlight.set(file, pending);
        }
        return pending;
    }

    protected async preview(uri: URI, file: string): Promise<object | undefined> {
        const existing = this.shell.getWidgets('main').find(w => w.id === `${OfficePreviewWidget.ID}:${file}`);
        const progress = await this.messages.showProgress({ text: `Rendering ${uri.path.base} with LibreOffice…` });
        try {
            const preview = await this.service.previewOffice(file);
            const widget = existing instanceof OfficePreviewWidget ? existing : this.createWidget();
            widget.setPreview(preview, {
                openInSystemApp: f => this.openInSystemApp(f),
                openPdf: pdf => open(this.openers, URI.fromFilePath(pdf))
            });
            if (!widget.isAttached) {
                await this.shell.addWidget(widget, { area: 'main' });
            }
            await this.shell.activateWidget(widget.id);
            return widget;
        } catch (e) {
            const choice = await this.messages.error(`Cannot preview ${uri.path.base}: ${messageOf(e)}`, 'Open in System App');
            if (choice) {
                await this.openInSystemApp(file);
            }
            return undefined;
        } finally {
            progress.cancel();
        }
    }

    async openInSystemApp(file: string): Promise<void> {
        try {
            await this.service.openInSystemApp(file);
        } catch (e) {
            this.messages.error(messageOf(e));
        }
    }
}
