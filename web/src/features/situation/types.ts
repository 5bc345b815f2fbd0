/** The answer of GET /api/v1/monitoring/regions/{code} (docs/monitoring.md §9). */

export const FIGURES = ['rackUtilization', 'itPowerKw', 'pue', 'acceleratorUtilization', 'accelerators', 'availability'] as const;
export type Figure = (typeof FIGURES)[number];

export interface SituationFigures {
  rackUtilization: { average: number | null; weighted: number | null };
  itPowerKw: number | null;
  pue: number | null;
  acceleratorUtilization: number | null;
  accelerators: { healthy: number | null; total: number | null };
  availability: number | null;
  contributors: Record<Figure, number>;
  /** Figures the server withheld (null) because they would rest on 1–2 facilities the user may not see. */
  withheld: Figure[];
}

export interface SituationCounts {
  registered: number;
  inOperation: number;
  connected: number;
  reporting: number;
  silent: number;
}

export interface SituationChild extends SituationFigures {
  code: string;
  name: string;
  shortName: string;
  lon: number | null;
  lat: number | null;
  facilities: SituationCounts;
}

export interface SituationFacility extends SituationFigures {
  id: string;
  name: string;
  computeId: string;
  regionCode: string;
  status: 'reporting' | 'silent';
  lastSampleAt: string;
  racksDesigned: number;
}

export interface SituationPoint extends SituationFigures {
  ts: string;
  facilities: number;
}

export interface SituationTrend {
  from: string;
  to: string;
  resolution: string;
  stepSeconds: number;
  source: string;
  points: SituationPoint[];
}

export interface Situation {
  region: { code: string; name: string; shortName: string; level: string };
  at: string;
  silentAfterSeconds: number;
  minHiddenFacilities: number;
  totals: SituationFigures & { facilities: SituationCounts };
  childLevel: 'province' | 'city' | 'facility';
  children: SituationChild[];
  facilities: SituationFacility[];
  hiddenFacilities: number;
  trend: SituationTrend | null;
}

export type TrendRange = '24h' | '7d' | '30d';
/** What the map is coloured by. */
export type MapMeasure = 'rackUtilization' | 'acceleratorUtilization';
