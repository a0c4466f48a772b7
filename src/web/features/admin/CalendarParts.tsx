import {
  Alert,
  Button,
  Descriptions,
  Form,
  Input,
  InputNumber,
  Popconfirm,
  Radio,
  Space,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../ui/ErrorAlert.tsx';
import { useDeadline, useDeleteCalendarDay, useSetCalendarDay } from './api.ts';
import type { DayClass, DayKind, DayScope } from './calendar.ts';
import { dateWithWeekday, isDateString } from './calendar.ts';

/** A day's marks in words, for the cell's tooltip: 休息日 · 国庆节 · 自定调整. */
function markLabel(t: TFunction, day: DayClass): string {
  return [
    day.mark === 'rest'
      ? t('admin.calendar.legend.rest')
      : day.mark === 'work'
        ? t('admin.calendar.legend.work')
        : null,
    day.name,
    day.source === 'override' ? t('admin.calendar.legend.override') : null,
  ]
    .filter(Boolean)
    .join(' · ');
}

/** The marks of a full calendar cell: 休 (day off) or 班 (working), whether it is an override, and the name. */
export function DayMarks({ day }: { day: DayClass }) {
  const { t } = useTranslation();
  if (!day.mark) {
    return null;
  }
  return (
    <div
      title={markLabel(t, day)}
      data-testid="calendar-marks"
      style={{ lineHeight: 1.3, overflow: 'hidden' }}
    >
      <Tag
        color={day.mark === 'rest' ? 'red' : 'blue'}
        variant={day.source === 'override' ? 'outlined' : 'solid'}
        style={{ marginInlineEnd: 2, paddingInline: 4, fontSize: 12 }}
      >
        {day.mark === 'rest' ? t('admin.calendar.marks.rest') : t('admin.calendar.marks.work')}
        {day.source === 'override' && ` · ${t('admin.calendar.marks.override')}`}
      </Tag>
      {day.name && (
        <Typography.Text style={{ fontSize: 12, display: 'block' }} ellipsis>
          {day.name}
        </Typography.Text>
      )}
    </div>
  );
}

/** A whole date cell of the small calendar (phones): the day of the month and its mark under it. */
export function MiniDay({ day, today }: { day: DayClass; today: boolean }) {
  const { t } = useTranslation();
  const label = markLabel(t, day);
  return (
    <div
      title={label || undefined}
      data-testid={day.mark ? 'calendar-marks' : undefined}
      style={{
        display: 'flex',
        flexDirection: 'column',
        alignItems: 'center',
        lineHeight: 1.2,
        minHeight: 34,
        paddingBlock: 2,
        borderRadius: 4,
        border: today ? '1px solid #1677ff' : '1px solid transparent',
      }}
    >
      <span>{Number(day.date.slice(8, 10))}</span>
      {day.mark && (
        <span
          style={{
            fontSize: 10,
            color: day.mark === 'rest' ? '#cf1322' : '#0958d9',
            textDecoration: day.source === 'override' ? 'underline dotted' : undefined,
          }}
        >
          {day.mark === 'rest' ? t('admin.calendar.marks.rest') : t('admin.calendar.marks.work')}
        </span>
      )}
    </div>
  );
}

/** The legend of the marks. */
export function CalendarLegend() {
  const { t } = useTranslation();
  return (
    <Space wrap size={4}>
      <Tag color="red" variant="solid">
        {t('admin.calendar.marks.rest')}
      </Tag>
      <Typography.Text type="secondary">{t('admin.calendar.legend.rest')}</Typography.Text>
      <Tag color="blue" variant="solid">
        {t('admin.calendar.marks.work')}
      </Tag>
      <Typography.Text type="secondary">{t('admin.calendar.legend.work')}</Typography.Text>
      <Tag color="red" variant="outlined">
        {t('admin.calendar.marks.override')}
      </Tag>
      <Typography.Text type="secondary">{t('admin.calendar.legend.override')}</Typography.Text>
    </Space>
  );
}

interface OverrideValues {
  date: string;
  kind: DayKind;
  name?: string;
  scope: DayScope;
}

/**
 * Adds or replaces the override of a day. With `fixedDate` the form is about that day only (the day
 * dialog); without, the date is typed.
 */
export function OverrideForm({
  fixedDate,
  initial,
  onSaved,
}: {
  fixedDate?: string;
  initial?: Partial<OverrideValues>;
  onSaved?: (date: string) => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<OverrideValues>();
  const save = useSetCalendarDay();
  const [saved, setSaved] = useState<string | null>(null);
  const submit = (values: OverrideValues) => {
    const date = fixedDate ?? values.date;
    save.mutate(
      { date, kind: values.kind, name: values.name?.trim() || null, scope: values.scope },
      {
        onSuccess: () => {
          setSaved(date);
          onSaved?.(date);
        },
      },
    );
  };
  return (
    <Form<OverrideValues>
      // Two of these forms can be on the page at once (the side card and the day dialog): distinct ids.
      name={fixedDate ? 'day-override' : 'override'}
      form={form}
      layout="vertical"
      initialValues={{ kind: 'holiday', scope: 'local', name: '', ...initial }}
      onFinish={submit}
      onValuesChange={() => setSaved(null)}
    >
      {!fixedDate && (
        <Form.Item
          name="date"
          label={t('admin.calendar.form.date')}
          rules={[
            { required: true, message: t('common.required') },
            {
              validator: (_rule, value: string | undefined) =>
                !value || isDateString(value)
                  ? Promise.resolve()
                  : Promise.reject(new Error(t('admin.calendar.form.dateInvalid'))),
            },
          ]}
        >
          <Input type="date" />
        </Form.Item>
      )}
      <Form.Item name="kind" label={t('admin.calendar.form.kind')}>
        <Radio.Group
          options={(['holiday', 'workday'] as const).map((k) => ({
            value: k,
            label: t(`admin.calendar.kinds.${k}`),
          }))}
        />
      </Form.Item>
      <Form.Item name="name" label={t('admin.calendar.form.name')}>
        <Input maxLength={100} placeholder={t('admin.calendar.form.namePlaceholder')} />
      </Form.Item>
      <Form.Item name="scope" label={t('admin.calendar.form.scope')}>
        <Radio.Group
          options={(['national', 'local'] as const).map((s) => ({
            value: s,
            label: t(`admin.calendar.scopes.${s}`),
          }))}
        />
      </Form.Item>
      {save.isError && <ErrorAlert error={save.error} />}
      {saved && !fixedDate && (
        <Alert type="success" showIcon title={t('admin.calendar.saved', { date: saved })} />
      )}
      <Button type="primary" htmlType="submit" loading={save.isPending} style={{ marginTop: 8 }}>
        {t('admin.calendar.form.save')}
      </Button>
    </Form>
  );
}

/** Removes a day's override, after confirmation. */
export function RemoveOverride({ date, onRemoved }: { date: string; onRemoved?: () => void }) {
  const { t } = useTranslation();
  const remove = useDeleteCalendarDay();
  return (
    <>
      <Popconfirm
        title={t('admin.calendar.removeConfirm', { date })}
        okText={t('admin.calendar.remove')}
        okButtonProps={{ danger: true }}
        cancelText={t('common.cancel')}
        onConfirm={() => remove.mutate(date, { onSuccess: onRemoved })}
      >
        <Button
          danger
          size="small"
          loading={remove.isPending}
          aria-label={`${t('admin.calendar.remove')} ${date}`}
        >
          {t('admin.calendar.remove')}
        </Button>
      </Popconfirm>
      {remove.isError && <ErrorAlert error={remove.error} />}
    </>
  );
}

/** Start date + N working days → the deadline, on the calendar as it stands. */
export function DeadlineCalculator({ today }: { today: string }) {
  const { t, i18n } = useTranslation();
  const [from, setFrom] = useState(today);
  const [workingDays, setWorkingDays] = useState<number | null>(5);
  const valid = isDateString(from) && workingDays !== null;
  const deadline = useDeadline(valid ? from : undefined, workingDays ?? undefined);
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Typography.Text type="secondary">{t('admin.calendar.deadline.hint')}</Typography.Text>
      <Space wrap>
        <label>
          <Typography.Text>{t('admin.calendar.deadline.from')}</Typography.Text>
          <Input
            type="date"
            value={from}
            onChange={(e) => setFrom(e.target.value)}
            style={{ display: 'block' }}
          />
        </label>
        <label>
          <Typography.Text>{t('admin.calendar.deadline.workingDays')}</Typography.Text>
          <InputNumber
            min={0}
            max={366}
            precision={0}
            value={workingDays}
            onChange={(value) => setWorkingDays(value)}
            style={{ display: 'block' }}
          />
        </label>
      </Space>
      <div aria-live="polite" data-testid="deadline-result">
        {deadline.isFetching && <Typography.Text type="secondary">{t('common.loading')}</Typography.Text>}
        {deadline.isError && <ErrorAlert error={deadline.error} />}
        {deadline.data && !deadline.isFetching && (
          <>
            <Descriptions size="small" column={1} bordered>
              <Descriptions.Item label={t('admin.calendar.deadline.result')}>
                <Typography.Text strong>
                  {dateWithWeekday(deadline.data.deadline, i18n.language)}
                </Typography.Text>
              </Descriptions.Item>
              <Descriptions.Item label={t('admin.calendar.deadline.calendarDays')}>
                {deadline.data.calendarDays}
              </Descriptions.Item>
              <Descriptions.Item label={t('admin.calendar.deadline.closesAt')}>
                {new Date(deadline.data.closesAt).toLocaleString(i18n.language)}
              </Descriptions.Item>
            </Descriptions>
            {deadline.data.uncoveredYears.length > 0 && (
              <Alert
                type="warning"
                showIcon
                style={{ marginTop: 8 }}
                title={t('admin.calendar.uncovered', { years: deadline.data.uncoveredYears.join('、') })}
              />
            )}
          </>
        )}
      </div>
    </Space>
  );
}
