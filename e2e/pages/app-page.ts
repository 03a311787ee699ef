/**
 * Page module of the envlens window: the view switcher, the host list and the prompt
 * dialogs, which are there on every screen.
 */
import { expect, type Locator, type Page } from '@playwright/test';

export class AppPage {
  constructor(readonly page: Page) {}

  view(name: 'capture' | 'compare' | 'fleet' | 'snapshots'): Locator {
    return this.page.getByTestId(`view-${name}`);
  }

  async showView(name: 'capture' | 'compare' | 'fleet' | 'snapshots'): Promise<void> {
    await this.view(name).click();
    await expect(this.view(name)).toHaveAttribute('aria-current', 'page');
  }

  host(target: string): Locator {
    return this.page.getByTestId(`host-item-${target}`);
  }

  async selectHost(target: string): Promise<void> {
    await this.host(target).click();
    await expect(this.host(target)).toHaveAttribute('aria-current', 'true');
  }

  /** Reads ~/.ssh/config again (after a spec added hosts to it). */
  async reloadHosts(): Promise<void> {
    await this.page.getByRole('button', { name: 'Reload hosts' }).click();
  }

  hostKeyDialog(): Locator {
    return this.page.getByRole('dialog', { name: 'Trust this host?' });
  }

  async addTarget(text: string): Promise<void> {
    await this.page.getByLabel('Add a host').fill(text);
    await this.page.getByRole('button', { name: 'Add host' }).click();
  }
}
