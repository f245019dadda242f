import { readiness, type Readiness } from './readiness';
import { useConnectionStore } from '../../stores/connectionStore';
import { useEngineStore } from '../../stores/engineStore';
import { useModelsStore } from '../../stores/modelsStore';

export function useReadiness(): Readiness {
  const status = useEngineStore((s) => s.status);
  const listState = useModelsStore((s) => s.listState);
  const modelCount = useModelsStore((s) => s.modelIds.length);
  const connected = useConnectionStore((s) => s.state === 'open');
  return readiness(status, listState, modelCount, connected);
}
