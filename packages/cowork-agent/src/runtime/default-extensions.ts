import type { RuntimeExtension } from './cowork-runtime';
import { officeExtension } from '../tools/office';

/**
 * The extensions every front end gets: the sandboxed Bash tool, office tools, plugins,
 * sub-agents. Each is its own module; this list is the one place that assembles them.
 */
export function defaultExtensions(): RuntimeExtension[] {
    return [officeExtension()];
}
