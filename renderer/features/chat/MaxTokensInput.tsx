import { useState } from 'react';
import { useChatStore } from '../../stores/chatStore';

export function MaxTokensInput() {
  const maxTokens = useChatStore((s) => s.maxTokens);
  const setMaxTokens = useChatStore((s) => s.setMaxTokens);
  // While the field is being edited it may hold text that is not a valid limit yet (empty, "0").
  const [editing, setEditing] = useState<string | null>(null);

  return (
    <label
      className="flex items-center gap-2 text-xs text-zinc-500"
      title="The most tokens one answer may use"
    >
      Max tokens
      <input
        type="number"
        data-testid="max-tokens-input"
        min={1}
        max={131072}
        step={1}
        inputMode="numeric"
        value={editing ?? String(maxTokens)}
        onChange={(e) => {
          setEditing(e.target.value);
          const n = Number(e.target.value);
          if (e.target.value !== '' && Number.isInteger(n) && n > 0) setMaxTokens(n);
        }}
        onBlur={() => setEditing(null)}
        className="h-7 w-20 rounded-md border border-zinc-800 bg-zinc-950 px-2 text-xs text-zinc-200 tabular-nums focus:border-indigo-500 focus:outline-none"
      />
    </label>
  );
}
