import { Tag } from 'antd';
import { useI18n } from '../i18n.ts';

const STATUS_COLORS: Record<string, string> = {
  planned: 'default',
  under_construction: 'gold',
  in_operation: 'green',
  decommissioned: 'red',
};

const KIND_COLORS: Record<string, string> = {
  general: 'blue',
  intelligent: 'purple',
  supercomputing: 'geekblue',
  edge: 'cyan',
};

const REGISTRATION_COLORS: Record<string, string> = {
  draft: 'default',
  submitted: 'processing',
  approved: 'success',
  rejected: 'error',
};

export function FacilityStatusTag({ status }: { status: string }) {
  const { te } = useI18n();
  return <Tag color={STATUS_COLORS[status] ?? 'default'}>{te('status', status)}</Tag>;
}

export function FacilityKindTag({ kind }: { kind: string }) {
  const { te } = useI18n();
  return (
    <Tag color={KIND_COLORS[kind] ?? 'default'} variant="outlined">
      {te('kind', kind)}
    </Tag>
  );
}

export function RegistrationStatusTag({ status }: { status: string }) {
  const { te } = useI18n();
  return (
    <Tag color={REGISTRATION_COLORS[status] ?? 'default'} data-testid={`registration-status-${status}`}>
      {te('regStatus', status)}
    </Tag>
  );
}
