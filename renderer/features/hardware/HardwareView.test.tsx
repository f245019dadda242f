// @vitest-environment jsdom
import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { HARDWARE } from '../../test/fakeApi';
import { flush, renderApp, teardown } from '../../test/harness';

afterEach(teardown);

async function openHardware() {
  const setup = await renderApp();
  await userEvent.click(screen.getByTestId('nav-hardware'));
  await flush();
  return setup;
}

describe('HardwareView', () => {
  it('shows each backend with its status and reason, the tier, and why it runs on the CPU', async () => {
    await openHardware();
    const view = screen.getByTestId('hardware-view');
    const rows = within(view).getAllByTestId('backend-row');
    expect(rows.map((r) => [r.dataset['backend'], r.dataset['status']])).toEqual([
      ['cuda', 'unavailable'],
      ['vulkan', 'unavailable'],
      ['cpu', 'ok'],
    ]);
    expect(rows[1]?.textContent).toContain('found no GPU');
    expect(within(rows[2]!).queryByTestId('backend-active')).not.toBeNull();
    expect(screen.getByTestId('hardware-tier').getAttribute('data-tier')).toBe('consumer-edge');
    expect(screen.getByTestId('tier-largest').textContent).toContain('1.7B Q4_K_M');
    expect(screen.getByTestId('why-cpu').textContent).toContain('No GPU backend passed its self-test');
    expect(screen.getByTestId('hardware-bandwidth').textContent).toContain('30 GB/s');
  });

  it('switches backend and shows the fallback reason when the choice does not work', async () => {
    const { fake } = await openHardware();
    await userEvent.selectOptions(screen.getByTestId('backend-select'), 'vulkan');
    await flush();
    expect(fake.argsOf('hardwareSetBackend')).toEqual([{ backend: 'vulkan' }]);
    expect(screen.getByTestId('backend-fallback').textContent).toContain(
      'vulkan was chosen but its self-test failed',
    );
  });

  it('calibrates threads only with a model loaded, then shows the measurements', async () => {
    const { fake } = await openHardware();
    expect((screen.getByTestId('calibrate-button') as HTMLButtonElement).disabled).toBe(true);
    act(() => void fake.setStatus({ state: 'ready', modelId: '0/tiny-q8_0.gguf' }));
    await userEvent.click(screen.getByTestId('calibrate-button'));
    await flush();
    expect(screen.getByTestId('thread-count').textContent).toContain('1 (measured on this machine)');
    expect(screen.getByTestId('hardware-threads').textContent).toContain('0.5 tok/s');
  });

  it('follows pushed profiles and shows the loading ladder after an out-of-memory step-down', async () => {
    const { fake } = await openHardware();
    act(() => fake.emit('hardware:changed', { ...HARDWARE, whyCpu: null, activeBackend: 'vulkan' }));
    expect(screen.queryByTestId('why-cpu')).toBeNull();
    act(() => {
      fake.emit('hardware:loadStep', {
        modelId: 'm',
        step: 0,
        action: 'initial',
        contextSize: 4096,
        gpuLayers: null,
        outcome: 'failed',
        message: 'Out of memory creating the context',
      });
      fake.emit('hardware:loadStep', {
        modelId: 'm',
        step: 1,
        action: 'smaller-context',
        contextSize: 2048,
        gpuLayers: null,
        outcome: 'loaded',
        message: 'Loaded',
      });
    });
    const steps = screen.getByTestId('load-steps');
    expect(steps.querySelectorAll('li')).toHaveLength(2);
    expect(steps.textContent).toContain('Smaller context: 2048 tokens');
  });
});
