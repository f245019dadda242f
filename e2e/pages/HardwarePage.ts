import { expect, type Locator, type Page } from '@playwright/test';
import { screenshotView } from './screenshot';

/** The Hardware view as a person uses it, by the stable test ids the renderer promises. */
export class HardwarePage {
  readonly page: Page;
  readonly view: Locator;
  readonly tier: Locator;
  readonly whyCpu: Locator;

  constructor(page: Page) {
    this.page = page;
    this.view = page.getByTestId('hardware-view');
    this.tier = page.getByTestId('hardware-tier');
    this.whyCpu = page.getByTestId('why-cpu');
  }

  async open(): Promise<void> {
    await this.page.goto('/');
    await this.page.getByTestId('nav-hardware').click();
    await expect(this.view).toBeVisible();
  }

  backend(id: string): Locator {
    return this.view.locator(`[data-testid="backend-row"][data-backend="${id}"]`);
  }

  /** Waits until no backend is still being tested. */
  async waitForProbes(): Promise<void> {
    await expect(this.view.locator('[data-testid="backend-row"][data-status="pending"]')).toHaveCount(0, {
      timeout: 30_000,
    });
    await expect(this.page.getByTestId('hardware-bandwidth')).toContainText('GB/s', { timeout: 30_000 });
  }

  async screenshot(name: string): Promise<void> {
    await screenshotView(this.page, 'hardware-view', name);
  }
}
