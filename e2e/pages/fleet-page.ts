/**
 * Page module of the fleet screen: the setup form, the run's per-host list, the results.
 */
import { expect, type Locator, type Page } from '@playwright/test';

export class FleetPage {
  constructor(readonly page: Page) {}

  setup(): Locator {
    return this.page.getByTestId('fleet-setup');
  }

  run(): Locator {
    return this.page.getByTestId('fleet-run');
  }

  pick(target: string): Locator {
    return this.page.getByTestId(`fleet-pick-${target}`);
  }

  pasted(): Locator {
    return this.page.getByLabel('Paste targets, one per line');
  }

  startButton(): Locator {
    return this.page.getByTestId('fleet-start');
  }

  host(target: string): Locator {
    return this.page.getByTestId(`fleet-host-${target}`);
  }

  headline(): Locator {
    return this.page.getByTestId('fleet-headline');
  }

  matrix(): Locator {
    return this.page.getByTestId('fleet-matrix');
  }

  matrixRow(target: string): Locator {
    return this.page.getByTestId(`fleet-row-${target}`);
  }

  failure(target: string): Locator {
    return this.page.getByTestId(`fleet-failed-${target}`);
  }

  /** Waits for the run to end and its comparison to show. */
  async waitForResults(timeout = 90_000): Promise<void> {
    await expect(this.headline()).toBeVisible({ timeout });
  }
}
