import * as React from '@theia/core/shared/react';
import markdownit = require('@theia/core/shared/markdown-it');
import DOMPurify = require('@theia/core/shared/dompurify');

// html: false — the model's text may carry markup; it is shown, not run.
const md = markdownit({ html: false, linkify: true, breaks: false });

/** Model text as Markdown, sanitised; re-rendered only when the text changes. */
export const MarkdownText = React.memo(function MarkdownText(props: { text: string; className?: string }): React.ReactElement {
    const html = React.useMemo(() => DOMPurify.sanitize(md.render(props.text)), [props.text]);
    return <div className={`cowork-markdown ${props.className ?? ''}`} dangerouslySetInnerHTML={{ __html: html }} />;
});
