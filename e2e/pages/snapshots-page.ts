/**
 * Page module of the snapshots screen.
 */
import type { Locator, Page } from '@playwright/test';

export class SnapshotsPage {
  constructor(readonly page: Page) {}

  root(): Locator {
    return this.page.getByTestId('snapshots-view');
  }

  rows(target?: string): Locator {
    const rows = this.root().locator('tbody tr');
    return target ? rows.and(this.page.locator(`[data-target="${target}"]`)) : rows;
  }

  async open(target: string, index = 0): Promise<void> {
    await this.rows(target).nth(index).getByRole('button', { name: /^Open / }).click();
  }
}
