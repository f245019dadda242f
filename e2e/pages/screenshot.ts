import type { Page } from '@playwright/test';

/**
 * Views scroll inside the window, so a full-page screenshot shows only the first screen of them: grow the
 * window to the view's content (up to 4000 px), take the picture, and put the window back.
 */
export async function screenshotView(page: Page, viewTestId: string, name: string): Promise<void> {
  const height = await page
    .getByTestId(viewTestId)
    .evaluate((el) => el.scrollHeight + el.getBoundingClientRect().top);
  const viewport = page.viewportSize();
  await page.setViewportSize({ width: viewport?.width ?? 1280, height: Math.min(Math.ceil(height), 4000) });
  await page.screenshot({ path: `e2e/screenshots/${name}.png` });
  if (viewport) await page.setViewportSize(viewport);
}
