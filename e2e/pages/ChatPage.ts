import { expect, type Locator, type Page } from '@playwright/test';
import type { Api, EngineStatus } from '../../electron/shared/contract';

/** The chat view as a person uses it, by the stable test ids the renderer promises. */
export class ChatPage {
  readonly page: Page;
  readonly modelPicker: Locator;
  readonly input: Locator;
  readonly send: Locator;
  readonly stop: Locator;
  readonly engineError: Locator;
  readonly maxTokens: Locator;

  constructor(page: Page) {
    this.page = page;
    this.modelPicker = page.getByTestId('model-picker');
    this.input = page.getByTestId('composer-input');
    this.send = page.getByTestId('send-button');
    this.stop = page.getByTestId('stop-button');
    this.engineError = page.getByTestId('engine-error');
    this.maxTokens = page.getByTestId('max-tokens-input');
  }

  async open(): Promise<void> {
    await this.page.goto('/');
    await this.page.getByTestId('nav-chat').click();
  }

  async pickModel(fileName: string): Promise<void> {
    const value = await this.modelPicker
      .locator('option', { hasText: fileName })
      .first()
      .getAttribute('value');
    expect(value, `model ${fileName} listed`).toBeTruthy();
    await this.modelPicker.selectOption(value!);
    // What the person sees, not just what main reports: the UI must have caught up too.
    await expect(this.modelPicker).toHaveValue(value!);
    await expect(this.page.getByTestId('engine-status')).toHaveAttribute('data-state', 'ready', {
      timeout: 30_000,
    });
  }

  async setMaxTokens(value: number): Promise<void> {
    await this.maxTokens.fill(String(value));
  }

  async ask(text: string): Promise<void> {
    await this.input.fill(text);
    await expect(this.send).toBeEnabled();
    await this.input.press('Enter');
  }

  lastAssistant(): Locator {
    return this.page.getByTestId('message-assistant').last();
  }

  lastAssistantText(): Locator {
    return this.lastAssistant().getByTestId('message-text');
  }

  /** The same `window.api` the Electron preload exposes; serve mode provides it too. */
  async engineStatus(): Promise<EngineStatus> {
    return this.page.evaluate(async () => {
      const result = await (window as unknown as { api: Api }).api.engineStatus();
      if (!result.ok) throw new Error(result.error.message);
      return result.value;
    });
  }

  /**
   * Records every distinct length the newest assistant message's text passes through while it streams, so
   * a test can tell a real stream from an answer that appeared all at once.
   */
  async recordStreamingLengths(): Promise<void> {
    await this.page.evaluate(() => {
      const seen = new Set<number>();
      (window as unknown as { __lengths: Set<number> }).__lengths = seen;
      const observer = new MutationObserver(() => {
        const messages = document.querySelectorAll('[data-testid="message-assistant"]');
        const last = messages[messages.length - 1];
        if (!last || last.getAttribute('data-state') !== 'streaming') return;
        const text = last.querySelector('[data-testid="message-text"]')?.textContent ?? '';
        if (text.length > 0) seen.add(text.length);
      });
      observer.observe(document.body, {
        subtree: true,
        childList: true,
        characterData: true,
        attributes: true,
      });
    });
  }

  async streamingLengths(): Promise<number[]> {
    return this.page.evaluate(() => [...(window as unknown as { __lengths: Set<number> }).__lengths]);
  }

  async screenshot(name: string): Promise<void> {
    await this.page.screenshot({ path: `e2e/screenshots/${name}.png`, fullPage: true });
  }
}
