import { expect, test } from '@playwright/test';
import { ChatPage } from './pages/ChatPage';

// The real app in serve mode: services, engine host and llama.cpp with a generated ~60M-parameter model.
const MODEL = 'bench60m.Q4_0.gguf';

test.describe.configure({ mode: 'serial' });

test('streams an answer that grows token by token, then is done', async ({ page }) => {
  const chat = new ChatPage(page);
  await chat.open();
  await chat.pickModel(MODEL);
  await chat.setMaxTokens(96);
  await chat.recordStreamingLengths();
  await chat.ask('Write a short poem about laptops.');

  await expect(page.getByTestId('message-user').last()).toContainText('Write a short poem about laptops.');
  await expect(chat.lastAssistant()).toHaveAttribute('data-state', 'done', { timeout: 30_000 });
  const lengths = await chat.streamingLengths();
  expect(lengths.length, `distinct streaming lengths seen: ${lengths.join(', ')}`).toBeGreaterThanOrEqual(3);
  await expect(chat.lastAssistantText()).not.toBeEmpty();
  await expect(chat.lastAssistant().getByTestId('message-stats')).toContainText('tok/s');
  await chat.screenshot('chat-done');
});

test('Stop halts generation within a second, and the next prompt is answered', async ({ page }) => {
  const chat = new ChatPage(page);
  await chat.open();
  await chat.pickModel(MODEL);
  await chat.setMaxTokens(4000);
  await chat.ask('Tell me a very long story.');

  await expect(chat.lastAssistant()).toHaveAttribute('data-state', 'streaming');
  await expect(chat.lastAssistantText()).not.toBeEmpty();
  await expect(chat.stop).toBeVisible();
  const stoppedAt = Date.now();
  await chat.stop.click();
  await expect(chat.lastAssistant()).toHaveAttribute('data-state', 'stopped', { timeout: 1_000 });
  expect(Date.now() - stoppedAt).toBeLessThan(1_000);
  const partial = await chat.lastAssistantText().textContent();
  // Nothing more arrives after stopped.
  await page.waitForTimeout(300);
  await expect(chat.lastAssistantText()).toHaveText(partial ?? '');
  await chat.screenshot('chat-stopped');

  await chat.setMaxTokens(32);
  await chat.ask('And a short one?');
  await expect(chat.lastAssistant()).toHaveAttribute('data-state', 'done', { timeout: 30_000 });
  await expect(chat.lastAssistantText()).not.toBeEmpty();
});

test('a killed engine shows an error, keeps the partial answer, and the next prompt works', async ({
  page,
}) => {
  const chat = new ChatPage(page);
  await chat.open();
  await chat.pickModel(MODEL);
  await chat.setMaxTokens(4000);
  await chat.ask('Keep talking until something breaks.');

  await expect(chat.lastAssistant()).toHaveAttribute('data-state', 'streaming');
  await expect(chat.lastAssistantText()).not.toBeEmpty();
  const { pid } = await chat.engineStatus();
  expect(pid).toBeGreaterThan(0);
  process.kill(pid!, 'SIGKILL');

  await expect(chat.lastAssistant()).toHaveAttribute('data-state', 'error');
  await expect(chat.engineError).toBeVisible();
  await expect(chat.engineError).toContainText('ENGINE_CRASHED');
  await expect(chat.lastAssistantText()).not.toBeEmpty();
  await chat.screenshot('chat-engine-crashed');

  await expect.poll(async () => (await chat.engineStatus()).state, { timeout: 30_000 }).toBe('ready');
  expect((await chat.engineStatus()).pid).not.toBe(pid);
  await chat.setMaxTokens(32);
  await chat.ask('Are you back?');
  await expect(chat.lastAssistant()).toHaveAttribute('data-state', 'done', { timeout: 30_000 });
  await expect(chat.lastAssistantText()).not.toBeEmpty();
  await chat.screenshot('chat-recovered');
});
