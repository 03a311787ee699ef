/**
 * Page module of the fix dialog: plan, strategies, reach, diffs, apply, verify, undo.
 */
import type { Locator, Page } from '@playwright/test';

export class FixDialog {
  constructor(readonly page: Page) {}

  root(): Locator {
    return this.page.getByTestId('fix-dialog');
  }

  strategy(id: string): Locator {
    return this.root().getByTestId(`strategy-${id}`).getByRole('radio');
  }

  reach(context: string): Locator {
    return this.root().getByTestId(`reach-${context}`);
  }

  diff(path: string): Locator {
    return this.root().getByTestId(`diff-${path}`);
  }

  applyButton(): Locator {
    return this.root().getByRole('button', { name: 'Apply…' });
  }

  confirmButton(): Locator {
    return this.root().getByTestId('fix-confirm');
  }

  result(): Locator {
    return this.root().getByTestId('fix-result');
  }

  verified(context: string): Locator {
    return this.root().getByTestId(`verify-${context}`);
  }

  undoButton(): Locator {
    return this.root().getByRole('button', { name: 'Undo' });
  }

  undone(): Locator {
    return this.root().getByTestId('fix-undone');
  }
}
