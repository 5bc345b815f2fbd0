import { PlusOutlined } from '@ant-design/icons';
import { Button, Flex, Tag } from 'antd';
import { useState } from 'react';
import { RegionCascader } from '../../components/RegionCascader.tsx';
import { RegionName } from '../../components/RegionName.tsx';
import { useI18n } from '../../i18n.ts';

/** Several regions (provinces or cities): pick one with the cascader and add it; each shows as a tag. */
export function RegionListInput({ value, onChange, placeholder, testId, id }: { value?: string[]; onChange?: (codes: string[]) => void; placeholder?: string; testId?: string; id?: string }) {
  const { t } = useI18n();
  const codes = value ?? [];
  const [pending, setPending] = useState<string | undefined>();
  const add = () => {
    if (pending && !codes.includes(pending)) onChange?.([...codes, pending]);
    setPending(undefined);
  };
  return (
    <Flex vertical gap={6} data-testid={testId}>
      <Flex gap={8}>
        <RegionCascader id={id} value={pending} onChange={setPending} deepest="city" changeOnSelect placeholder={placeholder} style={{ width: 240 }} testId={testId ? `${testId}-picker` : undefined} />
        <Button icon={<PlusOutlined />} disabled={!pending} onClick={add} data-testid={testId ? `${testId}-add` : undefined}>
          {t('market.demand.addRegion')}
        </Button>
      </Flex>
      {codes.length ? (
        <Flex gap={4} wrap>
          {codes.map((code) => (
            <Tag
              key={code}
              closable
              onClose={(event) => {
                event.preventDefault();
                onChange?.(codes.filter((c) => c !== code));
              }}
              data-testid={testId ? `${testId}-tag-${code}` : undefined}
            >
              <RegionName code={code} />
            </Tag>
          ))}
        </Flex>
      ) : null}
    </Flex>
  );
}
