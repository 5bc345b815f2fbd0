/** GET /api/v1/alerts and /api/v1/alert-rules (docs/monitoring.md, Alerts). */
export type AlertKind = 'threshold' | 'absence' | 'pue_target' | 'utilisation_target';
export type AlertState = 'pending' | 'firing' | 'resolved';
export type Severity = 'info' | 'warning' | 'critical';

export interface Alert {
  id: string;
  ruleId: string;
  ruleName: string;
  kind: AlertKind;
  severity: Severity;
  metric: string | null;
  comparison: string | null;
  facilityId: string;
  facilityName: string;
  computeId: string;
  regionCode: string;
  state: AlertState;
  value: number | null;
  threshold: number | null;
  startedAt: string;
  firedAt: string | null;
  resolvedAt: string | null;
  lastEvaluatedAt: string;
  summary: string;
}

export interface AlertRule {
  id: string;
  name: string;
  kind: AlertKind;
  metric: string | null;
  comparison: string | null;
  threshold: number | null;
  forSeconds: number;
  windowSeconds: number | null;
  facilityId: string | null;
  regionCode: string | null;
  severity: Severity;
  webhookUrl: string | null;
  enabled: boolean;
  ownerOrgId: string;
  version: number;
  createdAt: string;
  updatedAt: string;
}
