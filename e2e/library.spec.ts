import { expect, test } from '@playwright/test';
import { ChatPage } from './pages/ChatPage';
import { DiscoverPage } from './pages/DiscoverPage';
import { LibraryPage } from './pages/LibraryPage';

// Serve mode with HF_ENDPOINT pointing at the fake hub (scripts/fake-hf), which serves the generated test
// models as `edgewise/test-models-GGUF`. Downloads land in out/e2e-data/models, the first models folder.
const SOURCE = 'hf:edgewise/test-models-GGUF/tiny.Q8_0.gguf';

test.describe.configure({ mode: 'serial' });

test('Discover shows the curated catalog and Library the installed models', async ({ page }) => {
  const discover = new DiscoverPage(page);
  await discover.open();
  expect(await discover.catalogItems.count()).toBeGreaterThanOrEqual(18);
  await expect(page.locator('[data-testid="catalog-item"][data-catalog-id="qwen3-30b-a3b"]')).toContainText(
    'active',
  );
  await discover.screenshot('discover');

  const library = new LibraryPage(page);
  await library.open();
  await expect(library.items.filter({ hasText: 'bench60m.Q4_0.gguf' }).first()).toContainText('llama');
  await library.screenshot('library');
});

test('downloads a model from the hub through the UI, then chats with it', async ({ page }) => {
  const discover = new DiscoverPage(page);
  await discover.open();
  await discover.resolve(SOURCE);
  await expect(discover.resolved).toContainText('tiny.Q8_0.gguf');
  const progress = await discover.downloadResolved();
  await expect(progress).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  // The library's id for the new file (the download manager picks where inside the download folder it goes).
  const modelId = await progress.getAttribute('data-model-id');
  expect(modelId).toMatch(/^default:.*tiny\.Q8_0\.gguf$/);
  await discover.screenshot('discover-downloaded');

  const library = new LibraryPage(page);
  await library.open();
  await expect(library.item(modelId!)).toBeVisible();
  await expect(library.item(modelId!)).toContainText('Q8_0');
  await expect(library.downloads.first()).toHaveAttribute('data-state', 'done');
  await library.screenshot('library-downloaded');

  const chat = new ChatPage(page);
  await page.getByTestId('nav-chat').click();
  await chat.modelPicker.selectOption(modelId!);
  await expect(chat.modelPicker).toHaveValue(modelId!);
  await expect(page.getByTestId('engine-status')).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
  await chat.setMaxTokens(16);
  await chat.ask('Hello from a downloaded model');
  await expect(chat.lastAssistant()).toHaveAttribute('data-state', 'done', { timeout: 30_000 });
  await expect(chat.lastAssistantText()).not.toBeEmpty();
});
