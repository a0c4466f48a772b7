import { DownloadOutlined } from '@ant-design/icons';
import { Divider, Flex, Form, List, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Invitation } from './api.ts';
import { EXPORTS, exportHref, PER_UNIT_EXPORTS } from './exports.ts';

/** A round's downloads: every table for the whole round, and the opinion and disposition tables per unit. */
export function RoundExports({ roundId, invitations }: { roundId: string; invitations: Invitation[] }) {
  const { t } = useTranslation();
  const [unitId, setUnitId] = useState<string | undefined>(undefined);
  const unit = invitations.find((i) => i.unitId === unitId);
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <List
        dataSource={[...EXPORTS]}
        renderItem={(e) => (
          <List.Item>
            <Flex justify="space-between" wrap gap={8} style={{ width: '100%' }}>
              <Typography.Text>{t(`exports.${e.kind}`)}</Typography.Text>
              <Space wrap>
                {e.formats.map((f) => (
                  <a key={f} href={exportHref(roundId, e.kind, f)} download>
                    <DownloadOutlined /> {t(`exports.${e.kind}`)} .{f}
                  </a>
                ))}
              </Space>
            </Flex>
          </List.Item>
        )}
      />
      <Divider titlePlacement="start">{t('exports.perUnit')}</Divider>
      <Form layout="vertical">
        <Form.Item label={t('exports.unit')} htmlFor="export-unit" style={{ maxWidth: 420 }}>
          <Select
            id="export-unit"
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            value={unitId}
            onChange={(v: string | undefined) => setUnitId(v)}
            options={invitations.map((i) => ({ value: i.unitId, label: i.unitName }))}
            notFoundContent={t('exports.noUnits')}
          />
        </Form.Item>
      </Form>
      {unit ? (
        <List
          data-testid="unit-exports"
          dataSource={[...PER_UNIT_EXPORTS]}
          renderItem={(e) => (
            <List.Item>
              <Flex justify="space-between" wrap gap={8} style={{ width: '100%' }}>
                <Typography.Text>
                  {t('exports.ofUnit', { table: t(`exports.${e.kind}`), unit: unit.unitName })}
                </Typography.Text>
                <Space wrap>
                  {e.formats.map((f) => (
                    <a key={f} href={exportHref(roundId, e.kind, f, unit.unitId)} download>
                      <DownloadOutlined />{' '}
                      {t('exports.ofUnit', { table: t(`exports.${e.kind}`), unit: unit.unitName })} .{f}
                    </a>
                  ))}
                </Space>
              </Flex>
            </List.Item>
          )}
        />
      ) : (
        <Typography.Text type="secondary">{t('exports.pickUnit')}</Typography.Text>
      )}
    </Space>
  );
}
