import { DeleteOutlined, PlusOutlined, ThunderboltOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, Descriptions, Empty, Flex, Form, InputNumber, Row, Select, Statistic, Tag, Typography } from 'antd';
import type { FormInstance } from 'antd';
import { useMemo } from 'react';
import { formatFlops, formatNumber } from '../../format.ts';
import { useI18n } from '../../i18n.ts';
import { PRECISIONS, type CatalogueAccelerator } from '../../types.ts';
import { inventoryCapacity, type InventoryLine } from './capacity.ts';
import type { FacilityFormValues } from './validate.ts';

export interface AcceleratorEditorProps {
  form: FormInstance<FacilityFormValues>;
  catalogue: CatalogueAccelerator[];
  catalogueLoading: boolean;
  rule: (path: (string | number)[]) => { validator: () => Promise<void> };
}

/** The accelerator inventory: model from the catalogue × count, with the capacity it adds up to, live. */
export function AcceleratorEditor({ form, catalogue, catalogueLoading, rule }: AcceleratorEditorProps) {
  const { t, lang } = useI18n();
  const lines = Form.useWatch('accelerators', form) as InventoryLine[] | undefined;
  const capacity = useMemo(() => inventoryCapacity(lines, catalogue), [lines, catalogue]);

  const options = useMemo(() => {
    const vendors = new Map<string, CatalogueAccelerator[]>();
    for (const entry of catalogue) vendors.set(entry.vendor, [...(vendors.get(entry.vendor) ?? []), entry]);
    return [...vendors.entries()].map(([vendor, entries]) => ({
      label: vendor,
      title: vendor,
      options: entries.map((entry) => ({
        value: entry.model,
        label: (
          <Flex justify="space-between" gap={8}>
            <span>
              {entry.model}
              {entry.domestic ? (
                <Tag color="red" style={{ marginInlineStart: 6 }}>
                  {t('field.domestic')}
                </Tag>
              ) : null}
            </span>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              FP16 {formatNumber(entry.fp16, lang)} TFLOPS{entry.memoryGb ? ` · ${entry.memoryGb} GB` : ''}
            </Typography.Text>
          </Flex>
        ),
        searchText: `${entry.vendor} ${entry.model}`,
      })),
    }));
  }, [catalogue, t, lang]);

  return (
    <Flex vertical gap={12}>
      <Form.List name="accelerators">
        {(fields, { add, remove }) => (
          <Flex vertical gap={8} data-testid="accelerator-editor">
            {fields.length === 0 ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('form.noAccelerators')} style={{ margin: 0 }} /> : null}
            {fields.map((field, index) => (
              <Row key={field.key} gutter={8} align="top" data-testid={`accelerator-line-${index}`}>
                <Col flex="auto">
                  <Form.Item
                    name={[field.name, 'model']}
                    rules={[rule(['accelerators', field.name, 'model'])]}
                    style={{ marginBottom: 0 }}
                    aria-label={t('field.model')}
                  >
                    <Select
                      showSearch={{ optionFilterProp: 'searchText' }}
                      loading={catalogueLoading}
                      placeholder={t('form.acceleratorModel')}
                      options={options}
                      data-testid={`accelerator-model-${index}`}
                      popupMatchSelectWidth={false}
                    />
                  </Form.Item>
                </Col>
                <Col flex="180px">
                  <Form.Item name={[field.name, 'count']} rules={[rule(['accelerators', field.name, 'count'])]} style={{ marginBottom: 0 }}>
                    <InputNumber<number>
                      min={1}
                      precision={0}
                      placeholder={t('field.count')}
                      suffix={t('unit.cards')}
                      style={{ width: '100%' }}
                      data-testid={`accelerator-count-${index}`}
                    />
                  </Form.Item>
                </Col>
                <Col flex="none">
                  <Button icon={<DeleteOutlined />} onClick={() => remove(field.name)} aria-label={t('form.removeLine')} />
                </Col>
              </Row>
            ))}
            <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ count: 1 })} data-testid="add-accelerator" block>
              {t('form.addAccelerator')}
            </Button>
          </Flex>
        )}
      </Form.List>

      <Card size="small" style={{ background: '#f8fafc' }} data-testid="computed-capacity">
        <Flex justify="space-between" align="center" wrap gap={8} style={{ marginBottom: 8 }}>
          <Typography.Text strong>
            <ThunderboltOutlined /> {t('form.computedCapacity')}
          </Typography.Text>
          <Typography.Text type="secondary">{t('form.computedCards', { count: formatNumber(capacity.cards, lang), domestic: formatNumber(capacity.domesticCards, lang) })}</Typography.Text>
        </Flex>
        <Row gutter={[12, 12]}>
          {PRECISIONS.map((precision) => (
            <Col key={precision} xs={12} md={6}>
              <Statistic
                title={t(`field.${precision}`)}
                value={formatFlops(capacity.compute[precision], lang)}
                styles={{ content: { fontSize: 18 } }}
                data-testid={`capacity-${precision}`}
              />
            </Col>
          ))}
        </Row>
        <Descriptions
          size="small"
          style={{ marginTop: 8 }}
          items={[{ key: 'eq', label: t('field.fp32Equivalent'), children: <span data-testid="capacity-fp32eq">{formatFlops(capacity.fp32Equivalent, lang)}</span> }]}
        />
        {capacity.unknownModels.length > 0 ? <Alert type="warning" showIcon title={`${t('form.unknownModel')}: ${capacity.unknownModels.join(', ')}`} /> : null}
      </Card>
    </Flex>
  );
}
