import { expect, type Locator, type Page } from '@playwright/test';

/** The Discover view: the curated catalog and Hugging Face search, by the renderer's test ids. */
export class DiscoverPage {
  readonly page: Page;
  readonly searchInput: Locator;
  readonly catalogItems: Locator;
  readonly resolved: Locator;

  constructor(page: Page) {
    this.page = page;
    this.searchInput = page.getByTestId('hf-search-input');
    this.catalogItems = page.getByTestId('catalog-item');
    this.resolved = page.getByTestId('hf-resolved');
  }

  async open(): Promise<void> {
    await this.page.goto('/');
    await this.page.getByTestId('nav-discover').click();
    await expect(this.catalogItems.first()).toBeVisible();
  }

  /** Pastes an `hf:` URI or URL into the search box and waits for the file it names to be offered. */
  async resolve(input: string): Promise<void> {
    await this.searchInput.fill(input);
    await this.searchInput.press('Enter');
    await expect(this.resolved).toBeVisible();
  }

  /** Starts the offered file's download and returns its progress element. */
  async downloadResolved(): Promise<Locator> {
    await this.resolved.getByTestId('download-button').click();
    return this.resolved.getByTestId('download-progress');
  }

  /** The view scrolls inside the window: grow the window to its content so the picture shows all of it. */
  async screenshot(name: string): Promise<void> {
    const height = await this.page
      .getByTestId('discover-view')
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
