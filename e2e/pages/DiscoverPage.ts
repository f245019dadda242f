import { expect, type Locator, type Page } from '@playwright/test';
import { screenshotView } from './screenshot';

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

  async screenshot(name: string): Promise<void> {
    await screenshotView(this.page, 'discover-view', name);
  }
}
