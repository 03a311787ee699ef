/**
 * Page module of the compare screen: the grid, the filters, the pair view and the side
 * panels.
 */
import { expect, type Locator, type Page } from '@playwright/test';

export class ComparePage {
  constructor(readonly page: Page) {}

  root(): Locator {
    return this.page.getByTestId('compare-view');
  }

  grid(): Locator {
    return this.page.getByRole('grid');
  }

  filter(): Locator {
    return this.page.getByRole('searchbox', { name: 'Filter variables by name or value' });
  }

  row(name: string): Locator {
    return this.page.getByTestId(`var-row-${name}`);
  }

  cell(name: string, column: string): Locator {
    return this.page.getByTestId(`cell-${name}-${column}`);
  }

  source(name: string, column: string): Locator {
    return this.page.getByTestId(`source-${name}-${column}`);
  }

  columnHeader(column: string): Locator {
    return this.page.getByTestId(`colhead-${column}`);
  }

  onlyDifferences(): Locator {
    return this.page.getByRole('switch', { name: 'Only differences' });
  }

  onlyImportant(): Locator {
    return this.page.getByRole('switch', { name: 'Only proxy & toolchain' });
  }

  async waitForLoaded(): Promise<void> {
    await expect(this.root()).toBeVisible({ timeout: 60_000 });
    await expect(this.grid()).toBeVisible();
  }

  async filterBy(text: string): Promise<void> {
    await this.filter().fill(text);
    await expect(this.filter()).toHaveValue(text);
  }

  async usePair(left: string, right: string): Promise<void> {
    await this.page.getByTestId('mode-pair').click();
    await this.page.getByLabel('Left context').selectOption(left);
    await this.page.getByLabel('Right context').selectOption(right);
    await expect(this.columnHeader(left)).toBeVisible();
    await expect(this.columnHeader(right)).toBeVisible();
  }

  tab(name: 'Findings' | 'Effective proxy' | 'Variable'): Locator {
    return this.page.getByRole('tab', { name: new RegExp(`^${name}`) });
  }

  finding(id: string): Locator {
    return this.page.getByTestId(`finding-${id}`);
  }
}
