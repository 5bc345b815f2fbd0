/** One sample as `POST /api/v1/metrics` takes it: the agent stamps its own time so a resend cannot duplicate. */
export interface AgentSample {
  metric: string;
  labels: Record<string, string>;
  ts: number;
  value: number;
}

/** A sample before it is stamped with the collection time and the agent's own labels. */
export interface Reading {
  metric: string;
  labels?: Record<string, string>;
  value: number;
}
