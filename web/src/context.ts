// What every page renders with: the signed-in session, its own container, and the shared live region.
import type { Session } from './model.js';

export interface PageContext {
  readonly session: Session;
  /** The page's own container: detached when the viewer navigates away, so late writes are harmless. */
  readonly root: HTMLElement;
  /** Reads a message to assistive technology and shows it in the status bar. */
  readonly announce: (message: string) => void;
  /** Goes to a page of the UI (hash route). */
  readonly go: (href: string) => void;
  /** Sets the page's title and heading; the heading takes focus for screen readers. */
  readonly title: (text: string) => HTMLHeadingElement;
}

export type Page = (context: PageContext, params: readonly string[], query: URLSearchParams) => Promise<void>;
