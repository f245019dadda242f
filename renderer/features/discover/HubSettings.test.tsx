// @vitest-environment jsdom
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { HfSettings } from '../../../electron/shared/contract';
import { flush, renderApp, teardown } from '../../test/harness';

afterEach(teardown);

describe('Hugging Face connection settings', () => {
  it('shows where the endpoint comes from, saves a mirror and a token, and never shows the token', async () => {
    const { fake } = await renderApp();
    let current: HfSettings = {
      endpoint: 'https://hf-mirror.corp.example',
      endpointSource: 'env',
      hasToken: false,
    };
    fake.handle('hfGetSettings', async () => ({ ok: true, value: current }));
    fake.handle('hfSetSettings', async (args) => {
      current = {
        endpoint: args.endpoint ?? current.endpoint,
        endpointSource: args.endpoint ? 'settings' : current.endpointSource,
        hasToken: args.token === null ? false : Boolean(args.token) || current.hasToken,
      };
      return { ok: true, value: current };
    });
    await userEvent.click(screen.getByTestId('nav-discover'));
    await flush();
    expect(screen.getByTestId('hub-summary').textContent).toContain(
      'hf-mirror.corp.example (from HF_ENDPOINT)',
    );

    await userEvent.type(screen.getByTestId('hub-token-input'), 'hf_secret');
    await userEvent.click(screen.getByTestId('hub-save'));
    await flush();
    expect(fake.argsOf('hfSetSettings')).toEqual([{ token: 'hf_secret' }]);
    expect(screen.getByTestId('hub-summary').textContent).toContain('token set');
    expect((screen.getByTestId('hub-token-input') as HTMLInputElement).value).toBe('');
    expect(document.body.textContent).not.toContain('hf_secret');

    await userEvent.click(screen.getByTestId('hub-remove-token'));
    await flush();
    expect(fake.argsOf('hfSetSettings').at(-1)).toEqual({ token: null });
    expect(screen.getByTestId('hub-summary').textContent).toContain('token not set');
  });

  it('shows why a setting was refused', async () => {
    const { fake } = await renderApp();
    fake.handle('hfSetSettings', async () => ({
      ok: false,
      error: { code: 'INVALID_ARGUMENT', message: 'A plain-http endpoint is accepted only on this machine.' },
    }));
    await userEvent.click(screen.getByTestId('nav-discover'));
    await flush();
    await userEvent.type(screen.getByTestId('hub-endpoint-input'), 'http://mirror.example');
    await userEvent.click(screen.getByTestId('hub-save'));
    await flush();
    expect(screen.getByTestId('hub-error').textContent).toContain('plain-http');
  });
});
