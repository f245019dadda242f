import type { Locator, Page } from '@playwright/test';

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

  /** The view scrolls inside the window: grow the window to its content so the picture shows all of it. */
  async screenshot(name: string): Promise<void> {
    const height = await this.page
      .getByTestId('library-view')
      .evaluate((el) => el.scrollHeight + el.getBoundingClientRect().top);
    const viewport = this.page.viewportSize();
    await this.page.setViewportSize({
      width: viewport?.width ?? 1280,
      height: Math.min(Math.ceil(height), 4000),
    });
    await this.page.screenshot({ path: `e2e/screenshots/${name}.png` });
    if (viewport) await this.page.setViewportSize(viewport);
  }
}
