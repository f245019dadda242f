import { expect, test } from '@playwright/test';
import { HardwarePage } from './pages/HardwarePage';

// Serve mode on a GPU-less Linux machine, started with EDGEWISE_GPU=false (playwright.config.ts): the real
// probe processes run, CUDA and Vulkan report why they cannot be used, and the engine is on the CPU.

test('the Hardware view shows every backend with its status, the tier, and why it runs on the CPU', async ({
  page,
}) => {
  const hardware = new HardwarePage(page);
  await hardware.open();
  await hardware.waitForProbes();

  const rows = hardware.view.getByTestId('backend-row');
  expect(await rows.count()).toBeGreaterThanOrEqual(2);
  await expect(hardware.backend('cpu')).toHaveAttribute('data-status', 'ok');
  await expect(hardware.backend('cpu').getByTestId('backend-active')).toBeVisible();
  for (const row of await rows.all()) {
    const status = await row.getAttribute('data-status');
    expect(['ok', 'unavailable', 'crashed', 'timeout']).toContain(status);
    // Anything not usable says why.
    if (status !== 'ok') await expect(row).toContainText(/\w+/);
  }
  await expect(hardware.tier).toHaveAttribute(
    'data-tier',
    /^(consumer-edge|mainstream-edge|premium-edge|workstation)$/,
  );
  await expect(hardware.tier).toContainText('GB/s');
  await expect(hardware.whyCpu).toContainText('EDGEWISE_GPU');
  await expect(page.getByTestId('backend-select')).toBeDisabled();
  await hardware.screenshot('hardware');
});
