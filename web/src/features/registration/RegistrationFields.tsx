import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Card, Col, Flex, Form, Input, InputNumber, Row, Segmented, Select, Typography } from 'antd';
import type { FormInstance } from 'antd';
import { RegionCascader } from '../../components/RegionCascader.tsx';
import { formatFlops, formatNumber, racksFromKw } from '../../format.ts';
import { useI18n } from '../../i18n.ts';
import { FACILITY_KINDS, FACILITY_STATUSES, PRECISIONS, type CatalogueAccelerator } from '../../types.ts';
import { AcceleratorEditor } from './AcceleratorEditor.tsx';
import { fp32Equivalent, inventoryCapacity, type InventoryLine } from './capacity.ts';
import type { RacksMode } from './formValues.ts';
import type { FacilityFormValues, FieldPath } from './validate.ts';

export type RuleFor = (path: FieldPath, checks?: FieldPath) => { validator: () => Promise<void> };

export interface RegistrationFieldsProps {
  form: FormInstance<FacilityFormValues>;
  racksMode: RacksMode;
  onRacksModeChange: (mode: RacksMode) => void;
  catalogue: CatalogueAccelerator[];
  catalogueLoading: boolean;
  rule: RuleFor;
}

/** Declared compute plus the accelerators' totals: what the ledger will show for the facility. */
function TotalCapacity({ form, catalogue }: { form: FormInstance<FacilityFormValues>; catalogue: CatalogueAccelerator[] }) {
  const { t, lang } = useI18n();
  const lines = Form.useWatch('accelerators', form) as InventoryLine[] | undefined;
  const declared = Form.useWatch('compute', form) as FacilityFormValues['compute'];
  const fromAccelerators = inventoryCapacity(lines, catalogue).compute;
  const total = { fp64: 0, fp32: 0, fp16: 0, int8: 0 };
  for (const precision of PRECISIONS) total[precision] = fromAccelerators[precision] + (Number(declared?.[precision]) || 0);
  return (
    <Typography.Text data-testid="total-capacity">
      <Typography.Text strong>{t('form.totalCapacity')}: </Typography.Text>
      {PRECISIONS.map((precision) => `${t(`field.${precision}`)} ${formatFlops(total[precision], lang)}`).join(' · ')}
      {' · '}
      {t('field.fp32Equivalent')} {formatFlops(fp32Equivalent(total), lang)}
    </Typography.Text>
  );
}

function KwHint({ form, name }: { form: FormInstance<FacilityFormValues>; name: 'racksDesignedKw' | 'racksInUseKw' }) {
  const { t, lang } = useI18n();
  const kw = Form.useWatch(name, form);
  if (typeof kw !== 'number') return null;
  return <span data-testid={`${name}-hint`}>{t('form.kwHint', { racks: formatNumber(racksFromKw(kw), lang) })}</span>;
}

/** The facility fields of docs/api.md, in the sections a supplier fills in. */
export function RegistrationFields({ form, racksMode, onRacksModeChange, catalogue, catalogueLoading, rule }: RegistrationFieldsProps) {
  const { t } = useI18n();
  const numberInput = (testId: string, suffix?: string, props: { min?: number; max?: number; step?: number; precision?: number } = {}) => (
    <InputNumber<number> style={{ width: '100%' }} suffix={suffix} data-testid={testId} {...props} />
  );


  return (
    <Flex vertical gap={16}>
      <Card title={t('form.sectionBasic')}>
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item name="name" label={t('field.name')} required rules={[rule(['name'])]}>
              <Input maxLength={200} showCount placeholder={t('form.namePlaceholder')} data-testid="reg-name" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="regionCode" label={t('field.region')} required rules={[rule(['regionCode'])]}>
              <RegionCascader deepest="county" changeOnSelect placeholder={t('form.regionPlaceholder')} testId="reg-region" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="address" label={t('field.address')}>
              <Input maxLength={300} placeholder={t('form.addressPlaceholder')} data-testid="reg-address" />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="lon" label={t('field.lon')} rules={[rule(['lon'])]}>
              {numberInput('reg-lon', '°', { min: -180, max: 180, step: 0.0001 })}
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="lat" label={t('field.lat')} rules={[rule(['lat'])]}>
              {numberInput('reg-lat', '°', { min: -90, max: 90, step: 0.0001 })}
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="status" label={t('field.status')} required rules={[rule(['status'])]}>
              <Select options={FACILITY_STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))} data-testid="reg-status" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="kind" label={t('field.kind')} required rules={[rule(['kind'])]}>
              <Select options={FACILITY_KINDS.map((k) => ({ value: k, label: t(`kind.${k}`) }))} data-testid="reg-kind" />
            </Form.Item>
          </Col>
        </Row>
      </Card>

      <Card
        title={t('form.sectionRacks')}
        extra={
          <Flex align="center" gap={8}>
            <Typography.Text type="secondary">{t('form.racksUnit')}</Typography.Text>
            <Segmented<RacksMode>
              value={racksMode}
              onChange={onRacksModeChange}
              options={[
                { value: 'racks', label: t('form.byRacks') },
                { value: 'kw', label: t('form.byKw') },
              ]}
              data-testid="racks-mode"
            />
          </Flex>
        }
      >
        <Row gutter={16}>
          {racksMode === 'racks' ? (
            <>
              <Col xs={24} md={12}>
                <Form.Item name="racksDesigned" label={t('field.racksDesigned')} required rules={[rule(['racksDesigned'])]}>
                  {numberInput('reg-racks-designed', t('unit.racks'), { min: 0, precision: 0 })}
                </Form.Item>
              </Col>
              <Col xs={24} md={12}>
                <Form.Item name="racksInUse" label={t('field.racksInUse')} required dependencies={['racksDesigned']} rules={[rule(['racksInUse'])]}>
                  {numberInput('reg-racks-in-use', t('unit.racks'), { min: 0, precision: 0 })}
                </Form.Item>
              </Col>
            </>
          ) : (
            <>
              <Col xs={24} md={12}>
                <Form.Item
                  name="racksDesignedKw"
                  label={t('form.racksDesignedKw')}
                  required
                  rules={[rule(['racksDesignedKw'], ['racksDesigned'])]}
                  extra={<KwHint form={form} name="racksDesignedKw" />}
                >
                  {numberInput('reg-racks-designed-kw', 'kW', { min: 0 })}
                </Form.Item>
              </Col>
              <Col xs={24} md={12}>
                <Form.Item
                  name="racksInUseKw"
                  label={t('form.racksInUseKw')}
                  required
                  dependencies={['racksDesignedKw']}
                  rules={[rule(['racksInUseKw'], ['racksInUse'])]}
                  extra={<KwHint form={form} name="racksInUseKw" />}
                >
                  {numberInput('reg-racks-in-use-kw', 'kW', { min: 0 })}
                </Form.Item>
              </Col>
            </>
          )}
          <Col xs={24} md={8}>
            <Form.Item name="storagePb" label={t('field.storagePb')} rules={[rule(['storagePb'])]}>
              {numberInput('reg-storage', 'PB', { min: 0 })}
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="advancedStoragePct" label={t('field.advancedStoragePct')} rules={[rule(['advancedStoragePct'])]}>
              {numberInput('reg-advanced-storage', '%', { min: 0, max: 100 })}
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="egressGbps" label={t('field.egressGbps')} rules={[rule(['egressGbps'])]}>
              {numberInput('reg-egress', 'Gbps', { min: 0 })}
            </Form.Item>
          </Col>
        </Row>
      </Card>

      <Card title={t('form.sectionCompute')}>
        <Flex vertical gap={16}>
          <div>
            <Typography.Title level={5} style={{ marginTop: 0 }}>
              {t('field.accelerators')}
            </Typography.Title>
            <AcceleratorEditor form={form} catalogue={catalogue} catalogueLoading={catalogueLoading} rule={(path) => rule(path)} />
          </div>
          <div>
            <Flex justify="space-between" align="center" wrap gap={8}>
              <Typography.Title level={5} style={{ margin: 0 }}>
                {t('form.computeManual')}
              </Typography.Title>
            </Flex>
            <Typography.Paragraph type="secondary" style={{ fontSize: 12, margin: '4px 0 12px' }}>
              {t('form.computeManualHint')}
            </Typography.Paragraph>
            <Row gutter={16}>
              {PRECISIONS.map((precision) => (
                <Col key={precision} xs={12} md={6}>
                  <Form.Item name={['compute', precision]} label={t(`field.${precision}`)} rules={[rule(['compute', precision])]}>
                    {numberInput(`reg-compute-${precision}`, precision === 'int8' ? 'TOPS' : 'TFLOPS', { min: 0 })}
                  </Form.Item>
                </Col>
              ))}
            </Row>
            <TotalCapacity form={form} catalogue={catalogue} />
          </div>
        </Flex>
      </Card>

      <Card title={t('form.sectionEnergy')}>
        <Row gutter={16}>
          <Col xs={12} md={6}>
            <Form.Item name="pueDesign" label={t('field.pueDesign')} rules={[rule(['pueDesign'])]}>
              {numberInput('reg-pue-design', undefined, { min: 1, step: 0.01, precision: 2 })}
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="pueMeasured" label={t('field.pueMeasured')} rules={[rule(['pueMeasured'])]}>
              {numberInput('reg-pue-measured', undefined, { min: 1, step: 0.01, precision: 2 })}
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="annualKwh" label={t('field.annualKwh')} rules={[rule(['annualKwh'])]}>
              {numberInput('reg-annual-kwh', 'kWh', { min: 0 })}
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="greenPowerPct" label={t('field.greenPowerPct')} rules={[rule(['greenPowerPct'])]}>
              {numberInput('reg-green-power', '%', { min: 0, max: 100 })}
            </Form.Item>
          </Col>
        </Row>
      </Card>

      <Card title={t('form.sectionContacts')}>
        <Form.List name="contacts">
          {(fields, { add, remove }) => (
            <Flex vertical gap={8}>
              {fields.map((field, index) => (
                <Row key={field.key} gutter={8} align="top">
                  <Col xs={24} md={7}>
                    <Form.Item name={[field.name, 'name']} rules={[rule(['contacts', field.name, 'name'])]} style={{ marginBottom: 0 }}>
                      <Input placeholder={t('field.contactName')} data-testid={`contact-name-${index}`} />
                    </Form.Item>
                  </Col>
                  <Col xs={24} md={7}>
                    <Form.Item name={[field.name, 'phone']} style={{ marginBottom: 0 }}>
                      <Input placeholder={t('field.contactPhone')} />
                    </Form.Item>
                  </Col>
                  <Col xs={24} md={8}>
                    <Form.Item name={[field.name, 'email']} rules={[rule(['contacts', field.name, 'email'])]} style={{ marginBottom: 0 }}>
                      <Input placeholder={t('field.contactEmail')} />
                    </Form.Item>
                  </Col>
                  <Col flex="none">
                    <Button icon={<DeleteOutlined />} onClick={() => remove(field.name)} aria-label={t('form.removeLine')} />
                  </Col>
                </Row>
              ))}
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ name: '', phone: '', email: '' })} block data-testid="add-contact">
                {t('form.addContact')}
              </Button>
            </Flex>
          )}
        </Form.List>
      </Card>
    </Flex>
  );
}
