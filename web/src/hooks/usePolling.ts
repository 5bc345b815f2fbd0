import { useCallback, useEffect, useRef, useState, type DependencyList } from 'react';

export interface PollingState<T> {
  data: T | undefined;
  /** The last failure; cleared by the next success. The last data is kept meanwhile. */
  error: unknown;
  loading: boolean;
  /** When the data shown was received (browser clock). */
  updatedAt: Date | null;
  /** The page is hidden: no requests until it is shown again. */
  paused: boolean;
  reload: () => void;
}

const isAbort = (error: unknown) => error instanceof DOMException && error.name === 'AbortError';
const hidden = () => typeof document !== 'undefined' && document.visibilityState === 'hidden';

/**
 * Loads now and again `intervalMs` after each answer, as long as the page is visible: a hidden tab
 * sends nothing, and loads at once when it is shown again. A failed poll keeps the last data and
 * tries again at the next interval. New `deps` start over (without the old data).
 */
export function usePolling<T>(load: (signal: AbortSignal) => Promise<T>, deps: DependencyList, intervalMs: number): PollingState<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<unknown>();
  const [loading, setLoading] = useState(true);
  const [updatedAt, setUpdatedAt] = useState<Date | null>(null);
  const [paused, setPaused] = useState(hidden());
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  useEffect(() => {
    let stopped = false;
    let inFlight = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const controller = new AbortController();
    const schedule = () => {
      clearTimeout(timer);
      if (!stopped && !hidden()) timer = setTimeout(() => void run(), intervalMs);
    };
    const run = async () => {
      if (stopped || inFlight) return;
      if (hidden()) {
        setPaused(true);
        return;
      }
      setPaused(false);
      inFlight = true;
      setLoading(true);
      try {
        const result = await loadRef.current(controller.signal);
        if (stopped) return;
        setData(result);
        setError(undefined);
        setUpdatedAt(new Date());
      } catch (cause) {
        if (stopped || isAbort(cause)) return;
        setError(cause);
      } finally {
        inFlight = false;
        if (!stopped) {
          setLoading(false);
          schedule();
        }
      }
    };
    const onVisibility = () => {
      if (hidden()) {
        clearTimeout(timer);
        setPaused(true);
      } else {
        void run();
      }
    };
    setData(undefined);
    setError(undefined);
    document.addEventListener('visibilitychange', onVisibility);
    void run();
    return () => {
      stopped = true;
      clearTimeout(timer);
      controller.abort();
      document.removeEventListener('visibilitychange', onVisibility);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick, intervalMs]);

  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { data, error, loading, updatedAt, paused, reload };
}
