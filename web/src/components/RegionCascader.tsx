import { Cascader } from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { api } from '../api.ts';
import { fetchRegion } from '../hooks/useRegionName.ts';
import type { Region, RegionLevel } from '../types.ts';

interface RegionOption {
  value: string;
  label: string;
  isLeaf: boolean;
  loading?: boolean;
  children?: RegionOption[];
}

const LEVELS: RegionLevel[] = ['province', 'city', 'county'];

interface RegionList {
  items: Region[];
}

function toOption(region: Region, deepest: RegionLevel): RegionOption {
  return { value: region.code, label: region.name, isLeaf: region.level === deepest };
}

function withChildren(options: RegionOption[], code: string, children: RegionOption[]): RegionOption[] {
  return options.map((option) => {
    if (option.value === code) return { ...option, children, isLeaf: children.length === 0, loading: false };
    if (option.children) return { ...option, children: withChildren(option.children, code, children) };
    return option;
  });
}

function findPath(options: RegionOption[], code: string, trail: string[] = []): string[] | null {
  for (const option of options) {
    const next = [...trail, option.value];
    if (option.value === code) return next;
    if (option.children) {
      const found = findPath(option.children, code, next);
      if (found) return found;
    }
  }
  return null;
}

export interface RegionCascaderProps {
  value?: string | null;
  onChange?: (code: string | undefined) => void;
  /** The deepest level offered: 'city' for ledger filters, 'county' for registration. */
  deepest?: RegionLevel;
  /** Allow choosing a province or a city without going deeper (filters). */
  changeOnSelect?: boolean;
  placeholder?: string;
  allowClear?: boolean;
  style?: React.CSSProperties;
  testId?: string;
  status?: 'error' | 'warning';
  id?: string;
}

/** Province → city (→ county) picker over GET /regions, loading each level when opened. */
export function RegionCascader({ value, onChange, deepest = 'county', changeOnSelect, placeholder, allowClear = true, style, testId, status, id }: RegionCascaderProps) {
  const [options, setOptions] = useState<RegionOption[]>([]);
  const [path, setPath] = useState<string[]>([]);

  const loadChildren = useCallback(
    async (code: string) => {
      const result = await api<RegionList>('/regions', { query: { parent: code } });
      const children = result.items.filter((r) => LEVELS.indexOf(r.level) <= LEVELS.indexOf(deepest)).map((r) => toOption(r, deepest));
      setOptions((current) => withChildren(current, code, children));
      return children;
    },
    [deepest],
  );

  useEffect(() => {
    const controller = new AbortController();
    api<RegionList>('/regions', { query: { level: 'province' }, signal: controller.signal })
      .then((result) => setOptions(result.items.map((r) => toOption(r, deepest))))
      .catch(() => {});
    return () => controller.abort();
  }, [deepest]);

  // Show a value set from outside (URL, prefilled form): load its ancestors' children.
  useEffect(() => {
    if (!value) {
      setPath([]);
      return;
    }
    if (options.length === 0) return;
    const known = findPath(options, value);
    if (known) {
      setPath(known);
      return;
    }
    let cancelled = false;
    fetchRegion(value)
      .then(async (region) => {
        if (!region) throw new Error('unknown region');
        const codes = (region.path?.map((r) => r.code) ?? []).filter((code, i, all) => all.indexOf(code) === i);
        if (codes[codes.length - 1] !== value) codes.push(value);
        for (const ancestor of codes.slice(0, -1)) await loadChildren(ancestor);
        if (!cancelled) setPath(codes);
      })
      .catch(() => {
        if (!cancelled) setPath([value]);
      });
    return () => {
      cancelled = true;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [value, options.length > 0]);

  const loadData = useCallback(
    (selected: RegionOption[]) => {
      const target = selected[selected.length - 1];
      if (!target || target.children) return;
      setOptions((current) => markLoading(current, target.value));
      void loadChildren(target.value).catch(() => setOptions((current) => withChildren(current, target.value, [])));
    },
    [loadChildren],
  );

  const cascaderValue = useMemo(() => (value ? path : []), [value, path]);

  return (
    <Cascader<RegionOption>
      id={id}
      options={options}
      loadData={loadData}
      value={cascaderValue}
      onChange={(codes) => onChange?.(codes && codes.length ? String(codes[codes.length - 1]) : undefined)}
      changeOnSelect={changeOnSelect}
      placeholder={placeholder}
      allowClear={allowClear}
      showSearch={false}
      style={style}
      status={status}
      data-testid={testId}
      displayRender={(labels) => labels.join(' / ')}
    />
  );
}

function markLoading(options: RegionOption[], code: string): RegionOption[] {
  return options.map((option) => {
    if (option.value === code) return { ...option, loading: true, children: undefined, isLeaf: false };
    if (option.children) return { ...option, children: markLoading(option.children, code) };
    return option;
  });
}
