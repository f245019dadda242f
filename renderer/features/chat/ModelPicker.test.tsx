// @vitest-environment jsdom
import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { ModelFile } from '../../../electron/shared/contract';
import { useModelsStore } from '../../stores/modelsStore';
import { folderHint, ModelPicker } from './ModelPicker';

function model(modelId: string, path: string): ModelFile {
  return { modelId, fileName: path.split('/').pop() ?? path, path, sizeBytes: 1024, modifiedAt: 0 };
}

describe('ModelPicker', () => {
  it('tells two files of the same name apart by their folder', () => {
    const a = model('default:tiny.gguf', '/home/me/models/tiny.gguf');
    const b = model('f-1:x/tiny.gguf', '/mnt/lmstudio/x/tiny.gguf');
    const c = model('default:other.gguf', '/home/me/models/other.gguf');
    useModelsStore.setState({
      modelIds: [a.modelId, b.modelId, c.modelId],
      models: { [a.modelId]: a, [b.modelId]: b, [c.modelId]: c },
      listState: 'loaded',
    });
    render(<ModelPicker />);
    const labels = Array.from(screen.getByTestId('model-picker').querySelectorAll('option')).map(
      (option) => option.textContent,
    );
    expect(labels).toContain('tiny.gguf (me/models) · 1.0 KB');
    expect(labels).toContain('tiny.gguf (lmstudio/x) · 1.0 KB');
    expect(labels).toContain('other.gguf · 1.0 KB');
  });

  it('shortens a folder to its last two parts', () => {
    expect(folderHint('/a/b/c/d.gguf')).toBe('b/c');
    expect(folderHint('C:\\models\\d.gguf')).toBe('C:/models');
  });
});
