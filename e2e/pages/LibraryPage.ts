import type { Locator, Page } from '@playwright/test';
import { screenshotView } from './screenshot';

/** The Library view: installed models, downloads and folders, by the renderer's test ids. */
export class LibraryPage {
  readonly page: Page;
  readonly items: Locator;
  readonly downloads: Locator;

  constructor(page: Page) {
    this.page = page;
    this.items = page.getByTestId('library-item');
    this.downloads = page.getByTestId('download-progress');
  }

  async open(): Promise<void> {
    await this.page.getByTestId('nav-library').click();
  }

  item(modelId: string): Locator {
    return this.page.locator(`[data-testid="library-item"][data-model-id="${modelId}"]`);
  }

  async screenshot(name: string): Promise<void> {
    await screenshotView(this.page, 'library-view', name);
  }
}
