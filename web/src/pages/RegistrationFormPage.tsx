import { SaveOutlined, SendOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Flex, Form, Result, Skeleton, Space, Typography } from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { api, ApiError, apiWithEtag, versionFromEtag } from '../api.ts';
import { useAuth } from '../auth.tsx';
import { ErrorState } from '../components/ErrorState.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { toFacilityInput, toFormValues, withRacksFromKw, type RacksMode } from '../features/registration/formValues.ts';
import { RegistrationFields } from '../features/registration/RegistrationFields.tsx';
import { labelKey, problemPathToField, samePath, validateFacility, type FacilityFormValues, type FieldIssue, type FieldPath } from '../features/registration/validate.ts';
import { kwFromRacks, racksFromKw } from '../format.ts';
import { useRequest } from '../hooks/useRequest.ts';
import { useI18n } from '../i18n.ts';
import { canRegister, canRequestChange } from '../roles.ts';
import type { CatalogueAccelerator, Facility, Registration } from '../types.ts';

interface SavedDraft {
  id: string;
  version: number;
}

interface ServerProblem {
  detail: string;
  unplaced: string[];
}

const TOP_LEVEL_FIELDS = new Set([
  'name',
  'regionCode',
  'address',
  'lon',
  'lat',
  'status',
  'kind',
  'racksDesigned',
  'racksInUse',
  'storagePb',
  'advancedStoragePct',
  'egressGbps',
  'compute',
  'accelerators',
  'pueDesign',
  'pueMeasured',
  'annualKwh',
  'greenPowerPct',
  'contacts',
]);

const quote = (version: number) => `"${version}"`;

export function RegistrationFormPage() {
  const { t } = useI18n();
  const { user } = useAuth();
  const { message, modal } = App.useApp();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const draftId = params.get('draft');
  const [form] = Form.useForm<FacilityFormValues>();
  const [racksMode, setRacksMode] = useState<RacksMode>('racks');
  const [saved, setSaved] = useState<SavedDraft | null>(null);
  const [saving, setSaving] = useState<'draft' | 'submit' | null>(null);
  const [problem, setProblem] = useState<ServerProblem | null>(null);
  const [stale, setStale] = useState(false);
  const prefilled = useRef<string | null>(null);

  const draft = useRequest((signal) => api<Registration>(`/registrations/${encodeURIComponent(draftId ?? '')}`, { signal, quiet: true }), [draftId], Boolean(draftId));
  // A change request names its facility in the URL, or through the draft being edited.
  const facilityId = params.get('facility') ?? (draft.data?.type === 'change' ? draft.data.facilityId : null);
  const facility = useRequest(
    (signal) => apiWithEtag<Facility>(`/facilities/${encodeURIComponent(facilityId ?? '')}`, { signal, quiet: true }),
    [facilityId],
    Boolean(facilityId),
  );
  const catalogue = useRequest((signal) => api<{ items: CatalogueAccelerator[] }>('/catalogue/accelerators', { signal }), []);
  const catalogueItems = useMemo(() => catalogue.data?.items ?? [], [catalogue.data]);
  const catalogueSettled = !catalogue.loading;

  const currentFacility = facility.data?.data;
  const draftEditable = draft.data?.status === 'draft';
  const baseVersion = draft.data?.type === 'change' && draftEditable ? draft.data.baseVersion : (versionFromEtag(facility.data?.etag ?? null) ?? currentFacility?.version ?? null);
  const isChange = Boolean(facilityId);

  // Prefill once per source: a draft being edited, or the facility a change starts from.
  useEffect(() => {
    if (!catalogueSettled) return;
    if (draftId) {
      if (!draft.data || prefilled.current === `draft:${draftId}`) return;
      prefilled.current = `draft:${draftId}`;
      form.setFieldsValue(toFormValues(draft.data.data, { includeCompute: true }));
      setSaved(draftEditable ? { id: draft.data.id, version: draft.data.version } : null);
      return;
    }
    if (facilityId && currentFacility && prefilled.current !== `facility:${facilityId}`) {
      prefilled.current = `facility:${facilityId}`;
      // The change starts from what the supplier declared, not from the derived totals.
      form.setFieldsValue(toFormValues({ ...currentFacility, compute: currentFacility.computeDeclared ?? undefined }, { includeCompute: true }));
    }
  }, [catalogueSettled, draftId, draft.data, draftEditable, facilityId, currentFacility, catalogueItems, form]);

  const issueMessage = (issue: FieldIssue) => {
    const vars = { ...issue.vars };
    if (typeof vars.field === 'string') {
      const key = labelKey(vars.field);
      if (key) vars.field = t(key);
    }
    return t(issue.key, vars);
  };

  const currentValues = () => withRacksFromKw(form.getFieldsValue(true) as FacilityFormValues, racksMode);

  const rule = (_path: FieldPath, checks?: FieldPath) => ({
    validator: async () => {
      const target = checks ?? _path;
      const issue = validateFacility(currentValues()).find((i) => samePath(i.path, target));
      if (issue) throw new Error(issueMessage(issue));
    },
  });

  const onRacksModeChange = (mode: RacksMode) => {
    const values = form.getFieldsValue(true) as FacilityFormValues;
    if (mode === 'kw') {
      form.setFieldsValue({
        racksDesignedKw: typeof values.racksDesigned === 'number' ? kwFromRacks(values.racksDesigned) : null,
        racksInUseKw: typeof values.racksInUse === 'number' ? kwFromRacks(values.racksInUse) : null,
      });
    } else {
      form.setFieldsValue({
        racksDesigned: typeof values.racksDesignedKw === 'number' ? racksFromKw(values.racksDesignedKw) : values.racksDesigned,
        racksInUse: typeof values.racksInUseKw === 'number' ? racksFromKw(values.racksInUseKw) : values.racksInUse,
      });
    }
    setRacksMode(mode);
  };

  const fieldFor = (path: FieldPath): FieldPath | null => {
    const [head] = path;
    if (typeof head !== 'string' || !TOP_LEVEL_FIELDS.has(head)) return null;
    if (racksMode === 'kw' && (head === 'racksDesigned' || head === 'racksInUse')) return [`${head}Kw`];
    if (head === 'compute' && path.length === 1) return ['compute', 'fp32'];
    if ((head === 'accelerators' || head === 'contacts') && path.length < 3) return null;
    return path;
  };

  const showServerProblem = (error: ApiError) => {
    if (error.code === 'PRECONDITION_FAILED' || error.status === 412) {
      setStale(true);
      return;
    }
    const unplaced: string[] = [];
    const fieldErrors: { name: FieldPath; errors: string[] }[] = [];
    for (const item of error.errors) {
      const field = fieldFor(problemPathToField(item.path));
      if (field) fieldErrors.push({ name: field, errors: [item.message] });
      else unplaced.push(item.path ? `${item.path}: ${item.message}` : item.message);
    }
    if (error.errors.length === 0 && error.code === 'RACKS_IN_USE_EXCEED_DESIGNED') fieldErrors.push({ name: fieldFor(['racksInUse']) ?? ['racksInUse'], errors: [error.detail ?? t('validate.racksInUse')] });
    if (error.errors.length === 0 && error.code === 'UNKNOWN_REGION') fieldErrors.push({ name: ['regionCode'], errors: [error.detail ?? ''] });
    if (fieldErrors.length > 0) {
      form.setFields(fieldErrors as Parameters<typeof form.setFields>[0]);
      form.scrollToField(fieldErrors[0]!.name, { block: 'center' });
    }
    const detail = error.code === 'NETWORK' ? t('common.networkError') : (error.detail ?? t('common.unknownError', { status: error.status }));
    setProblem({ detail, unplaced });
    void message.error(detail);
  };

  const send = async (submit: boolean) => {
    const data = toFacilityInput(currentValues(), catalogueItems);
    const type = isChange ? 'change' : 'create';
    let registration: Registration;
    if (saved) {
      registration = await api<Registration>(`/registrations/${encodeURIComponent(saved.id)}`, {
        method: 'PUT',
        body: { data },
        headers: { 'If-Match': quote(saved.version) },
        quiet: true,
      });
      if (submit) {
        registration = await api<Registration>(`/registrations/${encodeURIComponent(saved.id)}/submit`, { method: 'POST', quiet: true });
      }
    } else {
      registration = await api<Registration>('/registrations', {
        method: 'POST',
        body: { type, ...(facilityId ? { facilityId } : {}), data, submit },
        headers: isChange && baseVersion !== null ? { 'If-Match': quote(baseVersion) } : undefined,
        quiet: true,
      });
    }
    return registration;
  };

  const save = async (submit: boolean) => {
    setProblem(null);
    try {
      await form.validateFields();
    } catch (cause) {
      const errorFields = (cause as { errorFields?: { name: FieldPath }[] }).errorFields ?? [];
      if (errorFields.length > 0) {
        void message.error(t('form.fixErrors', { count: errorFields.length }));
        form.scrollToField(errorFields[0]!.name, { block: 'center' });
      }
      return;
    }
    const run = async () => {
      setSaving(submit ? 'submit' : 'draft');
      try {
        const registration = await send(submit);
        if (submit) {
          void message.success(t('form.submitted'));
          navigate('/registrations', { state: { highlight: registration.id } });
        } else {
          void message.success(t('form.draftSaved'));
          setSaved({ id: registration.id, version: registration.version });
          prefilled.current = `draft:${registration.id}`;
          const next = new URLSearchParams(params);
          next.set('draft', registration.id);
          setParams(next, { replace: true });
        }
      } catch (cause) {
        if (cause instanceof ApiError) showServerProblem(cause);
        else throw cause;
      } finally {
        setSaving(null);
      }
    };
    if (!submit) {
      await run();
      return;
    }
    modal.confirm({
      title: t('form.confirmSubmit'),
      content: t('form.confirmSubmitHint'),
      okText: t('form.submit'),
      cancelText: t('common.cancel'),
      okButtonProps: { 'data-testid': 'confirm-submit' } as Record<string, string>,
      onOk: run,
    });
  };

  if (!canRegister(user)) {
    return <Result status="403" title={t('common.forbidden')} subTitle={t('form.notSupplier')} data-testid="registration-forbidden" />;
  }
  if (draftId && draft.error) return <ErrorState error={draft.error} onRetry={draft.reload} />;
  if (facilityId && facility.error) return <ErrorState error={facility.error} onRetry={facility.reload} title={t('detail.notFound')} />;
  const loadingSource = (draftId && !draft.data) || (facilityId && !currentFacility) || !catalogueSettled;
  if (currentFacility && !user?.isAdmin && !canRequestChange(user, currentFacility)) {
    return <Result status="403" title={t('common.forbidden')} subTitle={t('form.notOwner')} />;
  }

  const title = isChange ? t('form.titleChange', { name: currentFacility?.name ?? '' }) : draftId && draftEditable ? t('form.titleDraft') : t('form.titleNew');

  return (
    <div data-testid="registration-form-page">
      <PageHeader title={title} subtitle={isChange ? undefined : t('form.intro')} />
      <Flex vertical gap={16}>
        {isChange && baseVersion !== null ? <Alert type="info" showIcon title={t('form.changeIntro', { version: baseVersion })} /> : null}
        {draft.data && !draftEditable ? (
          <Alert
            type="warning"
            showIcon
            title={`${t(`regStatus.${draft.data.status}`)}${draft.data.reason ? ` · ${t('reg.reason')}: ${draft.data.reason}` : ''}`}
          />
        ) : null}
        {catalogue.error ? <Alert type="warning" showIcon title={t('common.loadFailed')} description="/catalogue/accelerators" /> : null}
        {stale ? (
          <Alert
            type="error"
            showIcon
            title={t('form.staleVersion')}
            action={
              <Button size="small" onClick={() => window.location.reload()}>
                {t('form.reload')}
              </Button>
            }
            data-testid="stale-version"
          />
        ) : null}
        {problem ? (
          <Alert
            type="error"
            showIcon
            closable={{ onClose: () => setProblem(null) }}
            title={t('form.serverErrors')}
            description={
              <Space orientation="vertical" size={2}>
                <span>{problem.detail}</span>
                {problem.unplaced.map((line) => (
                  <Typography.Text key={line} type="danger">
                    {line}
                  </Typography.Text>
                ))}
              </Space>
            }
            data-testid="server-problem"
          />
        ) : null}
        {loadingSource ? (
          <Card>
            <Skeleton active paragraph={{ rows: 12 }} />
          </Card>
        ) : null}
        <Form<FacilityFormValues>
          form={form}
          name="registration"
          layout="vertical"
          initialValues={{ status: 'planned', kind: 'intelligent', accelerators: [], contacts: [{ name: '', phone: '', email: '' }], compute: {} }}
          disabled={saving !== null}
          style={{ display: loadingSource ? 'none' : undefined }}
          scrollToFirstError={{ block: 'center' }}
        >
          <RegistrationFields
            form={form}
            racksMode={racksMode}
            onRacksModeChange={onRacksModeChange}
            catalogue={catalogueItems}
            catalogueLoading={catalogue.loading}
            rule={rule}
          />
        </Form>
        <Card size="small" style={{ position: 'sticky', bottom: 0, zIndex: 5, boxShadow: '0 -2px 8px rgba(15,23,42,0.06)' }}>
          <Flex justify="space-between" align="center" wrap gap={8}>
            <Typography.Text type="secondary">{saved ? `${t('regStatus.draft')} · ${saved.id}` : ' '}</Typography.Text>
            <Space>
              <Button onClick={() => navigate(-1)}>{t('common.cancel')}</Button>
              <Button icon={<SaveOutlined />} loading={saving === 'draft'} disabled={saving !== null || Boolean(loadingSource)} onClick={() => void save(false)} data-testid="reg-save-draft">
                {t('form.saveDraft')}
              </Button>
              <Button
                type="primary"
                icon={<SendOutlined />}
                loading={saving === 'submit'}
                disabled={saving !== null || Boolean(loadingSource)}
                onClick={() => void save(true)}
                data-testid="reg-submit"
              >
                {t('form.submit')}
              </Button>
            </Space>
          </Flex>
        </Card>
      </Flex>
    </div>
  );
}
