/**
 * Page module of the capture screen: start, follow the per-context progress, cancel.
 */
import { expect, type Locator, type Page } from '@playwright/test';

export type ContextOutcome = 'ok' | 'timeout' | 'error' | 'unavailable';

export class CapturePage {
  constructor(readonly page: Page) {}

  captureButton(): Locator {
    return this.page.getByTestId('capture-button');
  }

  contextStatus(context: string): Locator {
    return this.page.getByTestId(`context-status-${context}`);
  }

  phase(): Locator {
    return this.page.getByTestId('capture-phase');
  }

  async start(): Promise<void> {
    await this.captureButton().click();
  }

  /** Waits until `context` reached a final status and returns it. */
  async waitForContext(context: string, timeout = 90_000): Promise<ContextOutcome> {
    const row = this.contextStatus(context);
    await expect(row).not.toHaveAttribute('data-status', 'pending', { timeout });
    return (await row.getAttribute('data-status')) as ContextOutcome;
  }
}
