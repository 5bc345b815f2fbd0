import { useState } from 'react';

/**
 * Cursor pagination state: the cursors of the pages visited so far, forgotten whenever `key`
 * (the filters) changes, so "previous" works without the server keeping page numbers.
 */
export function useCursorStack(key: string) {
  const [state, setState] = useState<{ key: string; stack: (string | null)[] }>({ key, stack: [null] });
  const stack = state.key === key ? state.stack : [null];
  return {
    cursor: stack[stack.length - 1] ?? null,
    page: stack.length,
    next: (cursor: string | null | undefined) => {
      if (cursor) setState({ key, stack: [...stack, cursor] });
    },
    prev: () => {
      if (stack.length > 1) setState({ key, stack: stack.slice(0, -1) });
    },
    reset: () => setState({ key, stack: [null] }),
  };
}
