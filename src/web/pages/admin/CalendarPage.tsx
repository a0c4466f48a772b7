import { LeftOutlined, RightOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Calendar,
  Card,
  Col,
  Descriptions,
  Divider,
  Empty,
  Flex,
  Grid,
  Input,
  List,
  Modal,
  Row,
  Skeleton,
  Space,
  Spin,
  Tag,
  Typography,
} from 'antd';
import type { ComponentProps } from 'react';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AdminGate, LoadError } from '../../features/admin/AdminGate.tsx';
import { useCalendar } from '../../features/admin/api.ts';
import type { CalendarDay, DayClass, Month } from '../../features/admin/calendar.ts';
import {
  classifyDay,
  dateWithWeekday,
  daysByDate,
  holidaysIn,
  isWeekend,
  localDateString,
  monthNames,
  monthOf,
  monthTitle,
  monthViewRange,
  overridesIn,
  toDateString,
  weekdayNames,
} from '../../features/admin/calendar.ts';
import {
  CalendarLegend,
  DayMarks,
  DeadlineCalculator,
  MiniDay,
  OverrideForm,
  RemoveOverride,
} from '../../features/admin/CalendarParts.tsx';

type CalendarLocale = ComponentProps<typeof Calendar>['locale'];

function statusOf(day: DayClass): 'holiday' | 'makeUp' | 'workday' | 'weekend' {
  if (day.mark === 'rest') {
    return 'holiday';
  }
  if (day.mark === 'work') {
    return day.weekend ? 'makeUp' : 'workday';
  }
  return day.weekend ? 'weekend' : 'workday';
}

/** One day: how the calendar treats it, its override (removable), and a form to set one. */
function DayDialog({ day, onClose }: { day: DayClass; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  return (
    <Modal
      open
      title={dateWithWeekday(day.date, i18n.language)}
      footer={null}
      onCancel={onClose}
      destroyOnHidden
    >
      <Descriptions column={1} size="small">
        <Descriptions.Item label={t('admin.calendar.day.status')}>
          <Space wrap size={4}>
            <Typography.Text strong>{t(`admin.calendar.day.${statusOf(day)}`)}</Typography.Text>
            {day.name && <Typography.Text>{day.name}</Typography.Text>}
          </Space>
        </Descriptions.Item>
        {day.source && (
          <Descriptions.Item label={t('admin.calendar.day.source')}>
            <Space wrap size={4}>
              {t(`admin.calendar.day.${day.source}`)}
              {day.scope && <Tag>{t(`admin.calendar.scopes.${day.scope}`)}</Tag>}
            </Space>
          </Descriptions.Item>
        )}
      </Descriptions>
      {day.source === 'override' && <RemoveOverride date={day.date} onRemoved={onClose} />}
      <Divider />
      <Typography.Title level={5}>{t('admin.calendar.form.editTitle', { date: day.date })}</Typography.Title>
      <OverrideForm
        fixedDate={day.date}
        initial={{
          // Offer the change a day most likely needs: a weekday off, a weekend worked.
          kind:
            day.mark === 'rest'
              ? 'holiday'
              : day.mark === 'work'
                ? 'workday'
                : day.weekend
                  ? 'workday'
                  : 'holiday',
          name: day.name ?? '',
          scope: day.scope ?? 'local',
        }}
        onSaved={onClose}
      />
    </Modal>
  );
}

/** The month's named holidays, make-up workdays and overrides, as lists beside the grid. */
function MonthSummary({
  days,
  month,
  onOpen,
}: {
  days: readonly CalendarDay[];
  month: Month;
  onOpen: (date: string) => void;
}) {
  const { t, i18n } = useTranslation();
  const holidays = holidaysIn(days, month);
  const prefix = toDateString(month.year, month.month, 1).slice(0, 8);
  const makeUp = days.filter((d) => d.kind === 'workday' && d.date.startsWith(prefix) && isWeekend(d.date));
  const overrides = overridesIn(days, month);
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size={16}>
      <Card size="small" title={t('admin.calendar.monthHolidays')}>
        {holidays.length === 0 && makeUp.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('admin.calendar.noHolidays')} />
        ) : (
          <Space orientation="vertical" style={{ width: '100%' }}>
            {holidays.map((h) => (
              <Flex key={h.name} justify="space-between" gap={8} wrap>
                <Typography.Text strong>{h.name}</Typography.Text>
                <Typography.Text type="secondary">
                  {h.from === h.to ? h.from : `${h.from} – ${h.to.slice(5)}`}
                </Typography.Text>
              </Flex>
            ))}
            {makeUp.length > 0 && (
              <div>
                <Typography.Text type="secondary">{t('admin.calendar.makeUpDays')}：</Typography.Text>
                {makeUp.map((d) => (
                  <Tag key={d.date} color="blue">
                    {dateWithWeekday(d.date, i18n.language)}
                    {d.name ? ` ${d.name}` : ''}
                  </Tag>
                ))}
              </div>
            )}
          </Space>
        )}
      </Card>
      <Card size="small" title={t('admin.calendar.overrides')}>
        {overrides.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('admin.calendar.noOverrides')} />
        ) : (
          <List
            size="small"
            data-testid="calendar-overrides"
            dataSource={overrides}
            renderItem={(d) => (
              <List.Item
                actions={[
                  <Button
                    key="edit"
                    size="small"
                    aria-label={`${t('admin.calendar.edit')} ${d.date}`}
                    onClick={() => onOpen(d.date)}
                  >
                    {t('admin.calendar.edit')}
                  </Button>,
                  <RemoveOverride key="remove" date={d.date} />,
                ]}
              >
                <Space orientation="vertical" size={0}>
                  <Typography.Text>{dateWithWeekday(d.date, i18n.language)}</Typography.Text>
                  <Space wrap size={4}>
                    <Tag color={d.kind === 'holiday' ? 'red' : 'blue'}>
                      {t(`admin.calendar.kinds.${d.kind}`)}
                    </Tag>
                    <Tag>{t(`admin.calendar.scopes.${d.scope}`)}</Tag>
                    {d.name && <Typography.Text>{d.name}</Typography.Text>}
                  </Space>
                </Space>
              </List.Item>
            )}
          />
        )}
      </Card>
    </Space>
  );
}

function CalendarView() {
  const { t, i18n } = useTranslation();
  const screens = Grid.useBreakpoint();
  const compact = !screens.md;
  const today = useMemo(() => localDateString(new Date()), []);
  const [month, setMonth] = useState<Month>(() => monthOf(today));
  const calendar = useCalendar(monthViewRange(month));
  const days = useMemo(() => calendar.data?.days ?? [], [calendar.data]);
  const byDate = useMemo(() => daysByDate(days), [days]);
  const [open, setOpen] = useState<string | null>(null);
  // Weekday and month names from the browser, so the grid speaks the interface's language.
  const locale = useMemo(
    () =>
      ({
        lang: {
          shortWeekDays: weekdayNames(i18n.language, compact ? 'narrow' : 'short'),
          shortMonths: monthNames(i18n.language),
        },
      }) as unknown as CalendarLocale,
    [i18n.language, compact],
  );
  const uncovered = (calendar.data?.uncoveredYears ?? []).filter(
    (year) =>
      year >= month.year - (month.month === 1 ? 1 : 0) && year <= month.year + (month.month === 12 ? 1 : 0),
  );

  if (calendar.isError && !calendar.data) {
    return <LoadError error={calendar.error} onRetry={() => void calendar.refetch()} />;
  }

  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} xl={16}>
        <Card title={t('admin.calendar.title')} extra={compact ? null : <CalendarLegend />}>
          <Typography.Paragraph type="secondary">{t('admin.calendar.hint')}</Typography.Paragraph>
          {compact && <CalendarLegend />}
          {uncovered.length > 0 && (
            <Alert
              type="warning"
              showIcon
              style={{ marginBlock: 8 }}
              title={t('admin.calendar.uncovered', { years: uncovered.join('、') })}
            />
          )}
          {calendar.isPending ? (
            <Skeleton active />
          ) : (
            <Spin spinning={calendar.isFetching}>
              <div data-testid="holiday-calendar">
                <Calendar
                  locale={locale}
                  headerRender={({ value, onChange }) => {
                    const shown = { year: value.year(), month: value.month() + 1 };
                    const todayMonth = monthOf(today);
                    return (
                      <Flex justify="space-between" align="center" wrap gap={8} style={{ paddingBlock: 8 }}>
                        <Space size={4}>
                          <Button
                            icon={<LeftOutlined />}
                            aria-label={t('admin.calendar.previousMonth')}
                            onClick={() => onChange(value.date(1).subtract(1, 'month'))}
                          />
                          <Typography.Title
                            level={5}
                            style={{ margin: 0, minWidth: 110, textAlign: 'center' }}
                          >
                            <span aria-live="polite" data-testid="calendar-month">
                              {monthTitle(shown, i18n.language)}
                            </span>
                          </Typography.Title>
                          <Button
                            icon={<RightOutlined />}
                            aria-label={t('admin.calendar.nextMonth')}
                            onClick={() => onChange(value.date(1).add(1, 'month'))}
                          />
                        </Space>
                        <Space size={4} wrap>
                          <Button
                            onClick={() =>
                              onChange(
                                value
                                  .date(1)
                                  .year(todayMonth.year)
                                  .month(todayMonth.month - 1)
                                  .date(Number(today.slice(8, 10))),
                              )
                            }
                          >
                            {t('admin.calendar.today')}
                          </Button>
                          <Input
                            type="month"
                            aria-label={t('admin.calendar.jumpTo')}
                            value={`${shown.year}-${String(shown.month).padStart(2, '0')}`}
                            onChange={(e) => {
                              const match = /^(\d{4})-(\d{2})$/.exec(e.target.value);
                              if (match) {
                                onChange(
                                  value
                                    .date(1)
                                    .year(Number(match[1]))
                                    .month(Number(match[2]) - 1),
                                );
                              }
                            }}
                            style={{ width: 170 }}
                          />
                        </Space>
                      </Flex>
                    );
                  }}
                  onPanelChange={(value) => setMonth({ year: value.year(), month: value.month() + 1 })}
                  onSelect={(value, info) => {
                    if (info.source === 'date') {
                      setOpen(value.format('YYYY-MM-DD'));
                    }
                  }}
                  // On a phone the small calendar, each cell drawn whole; on a desktop the full one.
                  fullscreen={!compact}
                  fullCellRender={
                    compact
                      ? (current, info) => {
                          const date = current.format('YYYY-MM-DD');
                          return info.type === 'date' ? (
                            <MiniDay day={classifyDay(date, byDate)} today={date === today} />
                          ) : (
                            info.originNode
                          );
                        }
                      : undefined
                  }
                  cellRender={(current, info) =>
                    info.type === 'date' ? (
                      <DayMarks day={classifyDay(current.format('YYYY-MM-DD'), byDate)} />
                    ) : (
                      info.originNode
                    )
                  }
                />
              </div>
            </Spin>
          )}
        </Card>
      </Col>
      <Col xs={24} xl={8}>
        <Space orientation="vertical" style={{ width: '100%' }} size={16}>
          <MonthSummary days={days} month={month} onOpen={setOpen} />
          <Card size="small" title={t('admin.calendar.form.title')}>
            <OverrideForm />
          </Card>
          <Card size="small" title={t('admin.calendar.deadline.title')}>
            <DeadlineCalculator today={today} />
          </Card>
        </Space>
      </Col>
      {open && <DayDialog day={classifyDay(open, byDate)} onClose={() => setOpen(null)} />}
    </Row>
  );
}

export function CalendarPage() {
  return (
    <AdminGate>
      <CalendarView />
    </AdminGate>
  );
}
