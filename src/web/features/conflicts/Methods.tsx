import { Button, Card, Col, Flex, Form, Input, InputNumber, Row, Select, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api.ts';
import { ErrorAlert, errorMessage } from '../../ui/ErrorAlert.tsx';
import { ConsultationSummaryView } from '../experts/ConsultationSummary.tsx';
import { Citations } from '../library/Citations.tsx';
import type { Conflict, Method, MethodStatus, SheetInput } from './api.ts';
import { METHOD_STATUSES, useAgenda, useCalculate, useUpdateMethod } from './api.ts';
import { badInputNames, calculationErrorField, linesOf } from './board.ts';

const joinLines = (items: readonly string[] | undefined) => (items ?? []).join('\n');
type Units = { value: string; label: string }[];

interface MeetingValues {
  agenda: string;
  startsAt: string;
  place: string;
  attendees: { unitId: string | null; people: string }[];
  minutes: string;
  decisions: string;
  actions: string;
}

/** A coordination meeting (协调会): agenda drafted from the conflict, attendees by unit, minutes, decisions. */
function MeetingEditor({ method, units, canManage }: { method: Method; units: Units; canManage: boolean }) {
  const { t } = useTranslation();
  const meeting = method.meeting;
  const agendaEmpty = !meeting || meeting.agenda.length === 0;
  const agenda = useAgenda(method.conflictId, agendaEmpty);
  const update = useUpdateMethod(method.id);
  const [form] = Form.useForm<MeetingValues>();
  const initial: MeetingValues = {
    agenda: agendaEmpty ? joinLines(agenda.data?.items) : joinLines(meeting?.agenda),
    startsAt: meeting?.startsAt?.slice(0, 16) ?? '',
    place: meeting?.place ?? '',
    attendees:
      meeting && meeting.attendees.length > 0
        ? meeting.attendees.map((a) => ({ unitId: a.unitId, people: a.people.join('、') }))
        : units.map((u) => ({ unitId: u.value, people: '' })),
    minutes: meeting?.minutes ?? '',
    decisions: joinLines(meeting?.decisions),
    actions: joinLines(meeting?.actions.map((a) => a.text)),
  };
  const save = (v: MeetingValues) =>
    update.mutate({
      meeting: {
        agenda: linesOf(v.agenda),
        startsAt: v.startsAt ? new Date(v.startsAt).toISOString() : null,
        place: v.place.trim() || null,
        attendees: v.attendees
          .filter((a) => a.unitId)
          .map((a) => ({
            unitId: a.unitId,
            unitName: units.find((u) => u.value === a.unitId)?.label ?? null,
            people: a.people
              .split(/[、,，;；\n]/)
              .map((p) => p.trim())
              .filter(Boolean),
          })),
        minutes: v.minutes.trim() || null,
        decisions: linesOf(v.decisions),
        actions: linesOf(v.actions).map((text, i) => ({
          text,
          ownerUnitId: meeting?.actions[i]?.ownerUnitId ?? null,
          due: meeting?.actions[i]?.due ?? null,
          done: meeting?.actions[i]?.done ?? false,
        })),
      },
    });
  if (agendaEmpty && agenda.isPending) {
    return <Typography.Text type="secondary">{t('common.loading')}</Typography.Text>;
  }
  return (
    <Form form={form} layout="vertical" initialValues={initial} onFinish={save} disabled={!canManage}>
      <Form.Item
        name="agenda"
        label={t('integration.methods.meeting.agenda')}
        extra={t('integration.methods.oneALine')}
      >
        <Input.TextArea autoSize={{ minRows: 2, maxRows: 10 }} />
      </Form.Item>
      <Flex gap={12} wrap>
        <Form.Item name="startsAt" label={t('integration.methods.meeting.startsAt')}>
          <Input type="datetime-local" />
        </Form.Item>
        <Form.Item name="place" label={t('integration.methods.meeting.place')} style={{ flex: '1 1 200px' }}>
          <Input maxLength={200} />
        </Form.Item>
      </Flex>
      <Typography.Text strong>{t('integration.methods.meeting.attendees')}</Typography.Text>
      <Form.List name="attendees">
        {(fields, { add, remove }) => (
          <Flex vertical gap={4} style={{ margin: '8px 0 16px' }}>
            {fields.map((field) => (
              <Flex key={field.key} gap={8} wrap align="start">
                <Form.Item name={[field.name, 'unitId']} noStyle>
                  <Select
                    aria-label={t('integration.methods.meeting.unit')}
                    options={units}
                    style={{ minWidth: 160 }}
                  />
                </Form.Item>
                <Form.Item name={[field.name, 'people']} noStyle>
                  <Input
                    aria-label={t('integration.methods.meeting.people')}
                    placeholder={t('integration.methods.meeting.people')}
                    style={{ flex: '1 1 200px', width: 'auto' }}
                  />
                </Form.Item>
                <Button size="small" onClick={() => remove(field.name)}>
                  {t('integration.methods.remove')}
                </Button>
              </Flex>
            ))}
            <Button
              size="small"
              onClick={() => add({ unitId: null, people: '' })}
              style={{ alignSelf: 'start' }}
            >
              {t('integration.methods.meeting.addAttendee')}
            </Button>
          </Flex>
        )}
      </Form.List>
      <Form.Item name="minutes" label={t('integration.methods.meeting.minutes')}>
        <Input.TextArea autoSize={{ minRows: 3, maxRows: 12 }} maxLength={50_000} />
      </Form.Item>
      <Form.Item
        name="decisions"
        label={t('integration.methods.meeting.decisions')}
        extra={t('integration.methods.oneALine')}
      >
        <Input.TextArea autoSize={{ minRows: 2, maxRows: 8 }} />
      </Form.Item>
      <Form.Item
        name="actions"
        label={t('integration.methods.meeting.actions')}
        extra={t('integration.methods.oneALine')}
      >
        <Input.TextArea autoSize={{ minRows: 2, maxRows: 8 }} />
      </Form.Item>
      {update.isError && <ErrorAlert error={update.error} />}
      <Flex gap={8} wrap>
        {canManage && (
          <Button type="primary" htmlType="submit" loading={update.isPending}>
            {t('integration.methods.save')}
          </Button>
        )}
        <a href={`/api/v1/methods/${method.id}/minutes.docx`} download>
          {t('integration.methods.meeting.download')}
        </a>
      </Flex>
    </Form>
  );
}

interface SheetValues {
  question: string;
  inputs: {
    name: string;
    label: string;
    value: number | null;
    unit: string;
    itemId: string;
    passage: string;
  }[];
  formula: string;
  resultUnit: string;
  conclusion: string;
}

/**
 * A data argument's calculation sheet (数据论证): inputs with value, unit and source, a formula over them,
 * the result shown with the values put in. A refused calculation is shown at the field it concerns.
 */
function SheetEditor({ method, canManage }: { method: Method; canManage: boolean }) {
  const { t } = useTranslation();
  const sheet = method.sheet;
  const calculate = useCalculate(method.id);
  const [form] = Form.useForm<SheetValues>();
  const [badNames, setBadNames] = useState<Set<number>>(new Set());
  const initial: SheetValues = {
    question: sheet?.question ?? '',
    inputs: (sheet?.inputs.length
      ? sheet.inputs
      : [
          { name: 'a', value: null },
          { name: 'b', value: null },
        ]
    ).map((i: SheetInput) => ({
      name: i.name,
      label: i.label ?? '',
      value: i.value,
      unit: i.unit ?? '',
      itemId: i.source?.itemId ?? '',
      passage: i.source?.passage ?? '',
    })),
    formula: sheet?.formula ?? '',
    resultUnit: sheet?.resultUnit ?? '',
    conclusion: sheet?.conclusion ?? '',
  };
  const error = calculate.error;
  const at = error instanceof ApiError ? calculationErrorField(error.details) : error ? 'sheet' : null;
  const inputError = (name: string) =>
    at && typeof at === 'object' && at.input === name ? errorMessage(error) : undefined;
  const run = (v: SheetValues) => {
    const bad = badInputNames(v.inputs.map((i) => i.name));
    setBadNames(bad);
    if (bad.size > 0) {
      return;
    }
    calculate.mutate({
      question: v.question.trim() || null,
      inputs: v.inputs.map((i) => ({
        name: i.name,
        label: i.label.trim() || null,
        value: typeof i.value === 'number' ? i.value : null,
        unit: i.unit.trim() || null,
        source: i.itemId.trim() ? { itemId: i.itemId.trim(), passage: i.passage.trim() || null } : null,
      })),
      formula: v.formula,
      resultUnit: v.resultUnit.trim() || null,
      conclusion: v.conclusion.trim() || null,
    });
  };
  const names = Form.useWatch('inputs', form)?.map((i) => i?.name) ?? initial.inputs.map((i) => i.name);
  return (
    <Flex vertical gap={8}>
      <Form form={form} layout="vertical" initialValues={initial} onFinish={run} disabled={!canManage}>
        <Form.Item name="question" label={t('integration.methods.sheet.question')}>
          <Input maxLength={2000} />
        </Form.Item>
        <Typography.Text strong>{t('integration.methods.sheet.inputs')}</Typography.Text>
        <Form.List name="inputs">
          {(fields, { add, remove }) => (
            <Flex vertical gap={6} style={{ margin: '8px 0 16px' }}>
              {fields.map((field, index) => {
                const name = names[index] ?? '';
                const message =
                  inputError(name) ??
                  (badNames.has(index) ? t('integration.methods.sheet.badName') : undefined);
                return (
                  <Flex key={field.key} vertical gap={2} data-testid="sheet-input">
                    <Flex gap={6} wrap align="start">
                      <Form.Item name={[field.name, 'name']} noStyle>
                        <Input
                          aria-label={t('integration.methods.sheet.name')}
                          placeholder={t('integration.methods.sheet.name')}
                          style={{ width: 130 }}
                          status={message ? 'error' : undefined}
                        />
                      </Form.Item>
                      <Form.Item name={[field.name, 'label']} noStyle>
                        <Input
                          aria-label={t('integration.methods.sheet.label')}
                          placeholder={t('integration.methods.sheet.label')}
                          style={{ width: 160 }}
                        />
                      </Form.Item>
                      <Form.Item name={[field.name, 'value']} noStyle>
                        <InputNumber
                          aria-label={t('integration.methods.sheet.value')}
                          placeholder={t('integration.methods.sheet.value')}
                          style={{ width: 130 }}
                          status={message ? 'error' : undefined}
                        />
                      </Form.Item>
                      <Form.Item name={[field.name, 'unit']} noStyle>
                        <Input
                          aria-label={t('integration.methods.sheet.unit')}
                          placeholder={t('integration.methods.sheet.unit')}
                          style={{ width: 80 }}
                        />
                      </Form.Item>
                      <Form.Item name={[field.name, 'itemId']} noStyle>
                        <Input
                          aria-label={t('integration.methods.sheet.source')}
                          placeholder={t('integration.methods.sheet.source')}
                          style={{ width: 150 }}
                        />
                      </Form.Item>
                      <Form.Item name={[field.name, 'passage']} noStyle>
                        <Input
                          aria-label={t('integration.methods.sheet.passage')}
                          placeholder={t('integration.methods.sheet.passage')}
                          style={{ width: 120 }}
                        />
                      </Form.Item>
                      <Button size="small" onClick={() => remove(field.name)}>
                        {t('integration.methods.remove')}
                      </Button>
                    </Flex>
                    {message && <Typography.Text type="danger">{message}</Typography.Text>}
                  </Flex>
                );
              })}
              <Button
                size="small"
                onClick={() =>
                  add({
                    name: `x${fields.length + 1}`,
                    label: '',
                    value: null,
                    unit: '',
                    itemId: '',
                    passage: '',
                  })
                }
                style={{ alignSelf: 'start' }}
              >
                {t('integration.methods.sheet.addInput')}
              </Button>
            </Flex>
          )}
        </Form.List>
        <Form.Item
          name="formula"
          label={t('integration.methods.sheet.formula')}
          extra={at === 'formula' ? undefined : t('integration.methods.sheet.formulaHint')}
          validateStatus={at === 'formula' ? 'error' : undefined}
          help={at === 'formula' ? errorMessage(error) : undefined}
        >
          <Input maxLength={2000} style={{ fontFamily: 'monospace' }} />
        </Form.Item>
        <Flex gap={12} wrap>
          <Form.Item name="resultUnit" label={t('integration.methods.sheet.resultUnit')}>
            <Input maxLength={50} style={{ width: 120 }} />
          </Form.Item>
        </Flex>
        <Form.Item name="conclusion" label={t('integration.methods.sheet.conclusion')}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 8 }} maxLength={4000} />
        </Form.Item>
        {at === 'sheet' && <ErrorAlert error={error} />}
        {canManage && (
          <Button type="primary" htmlType="submit" loading={calculate.isPending}>
            {t('integration.methods.sheet.calculate')}
          </Button>
        )}
      </Form>
      {sheet?.result && (
        <Card size="small" data-testid="sheet-result">
          <Typography.Text>
            {t('integration.methods.sheet.result')}：
            <Typography.Text code>{sheet.result.shown}</Typography.Text> ={' '}
            <Typography.Text strong>
              {Number(sheet.result.value.toPrecision(10))}
              {sheet.resultUnit ?? ''}
            </Typography.Text>
          </Typography.Text>
        </Card>
      )}
      <Citations fromKind="calculation" fromId={method.id} canCite={canManage} />
    </Flex>
  );
}

interface PilotValues {
  scope: string;
  unitIds: string[];
  startsOn: string;
  endsOn: string;
  successCriteria: string;
  result: string;
}

/** A pilot (试点验证): scope, units, dates, success criteria and the result. */
function PilotEditor({ method, units, canManage }: { method: Method; units: Units; canManage: boolean }) {
  const { t } = useTranslation();
  const update = useUpdateMethod(method.id);
  const p = method.pilot;
  const initial: PilotValues = {
    scope: p?.scope ?? '',
    unitIds: p?.unitIds ?? [],
    startsOn: p?.startsOn ?? '',
    endsOn: p?.endsOn ?? '',
    successCriteria: p?.successCriteria ?? '',
    result: p?.result ?? '',
  };
  return (
    <Form
      layout="vertical"
      initialValues={initial}
      disabled={!canManage}
      onFinish={(v: PilotValues) =>
        update.mutate({
          pilot: {
            scope: v.scope.trim(),
            unitIds: v.unitIds,
            startsOn: v.startsOn || null,
            endsOn: v.endsOn || null,
            successCriteria: v.successCriteria.trim(),
            result: v.result.trim() || null,
          },
        })
      }
    >
      <Form.Item name="scope" label={t('integration.methods.pilot.scope')}>
        <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={2000} />
      </Form.Item>
      <Form.Item name="unitIds" label={t('integration.methods.pilot.units')}>
        <Select mode="multiple" options={units} />
      </Form.Item>
      <Flex gap={12} wrap>
        <Form.Item name="startsOn" label={t('integration.methods.pilot.startsOn')}>
          <Input type="date" />
        </Form.Item>
        <Form.Item name="endsOn" label={t('integration.methods.pilot.endsOn')}>
          <Input type="date" />
        </Form.Item>
      </Flex>
      <Form.Item name="successCriteria" label={t('integration.methods.pilot.criteria')}>
        <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={4000} />
      </Form.Item>
      <Form.Item name="result" label={t('integration.methods.pilot.result')}>
        <Input.TextArea autoSize={{ minRows: 2, maxRows: 8 }} maxLength={10_000} />
      </Form.Item>
      {p && p.followUpIds.length > 0 && (
        <Tag color="orange">{t('integration.methods.pilot.followUps', { count: p.followUpIds.length })}</Tag>
      )}
      {update.isError && <ErrorAlert error={update.error} />}
      {canManage && (
        <Button type="primary" htmlType="submit" loading={update.isPending}>
          {t('integration.methods.save')}
        </Button>
      )}
    </Form>
  );
}

function MethodCard({ method, conflict, units }: { method: Method; conflict: Conflict; units: Units }) {
  const { t } = useTranslation();
  const update = useUpdateMethod(method.id);
  const canManage = conflict.can.manage;
  return (
    <Card
      size="small"
      data-testid={`method-${method.kind}`}
      title={
        <Flex gap={8} wrap align="center">
          <span>{method.title}</span>
          <Tag>{t(`integration.methods.kinds.${method.kind}`)}</Tag>
        </Flex>
      }
      extra={
        <Select
          aria-label={t('integration.methods.status')}
          size="small"
          value={method.status}
          disabled={!canManage || update.isPending}
          onChange={(status: MethodStatus) => update.mutate({ status })}
          options={METHOD_STATUSES.map((s) => ({ value: s, label: t(`integration.methods.statuses.${s}`) }))}
          style={{ minWidth: 96 }}
        />
      }
    >
      {update.isError && <ErrorAlert error={update.error} />}
      {method.kind === 'meeting' && <MeetingEditor method={method} units={units} canManage={canManage} />}
      {method.kind === 'data' && <SheetEditor method={method} canManage={canManage} />}
      {method.kind === 'pilot' && <PilotEditor method={method} units={units} canManage={canManage} />}
      {method.kind === 'expert' &&
        (method.consultationId ? (
          <ConsultationSummaryView consultationId={method.consultationId} canManage={canManage} />
        ) : (
          <Typography.Text type="secondary">{t('integration.methods.noConsultation')}</Typography.Text>
        ))}
    </Card>
  );
}

/** The conflict's resolution methods, each with its record. */
export function MethodList({ conflict, units }: { conflict: Conflict; units: Units }) {
  return (
    <Row gutter={[12, 12]}>
      {conflict.methods.map((m) => (
        <Col key={m.id} xs={24}>
          <MethodCard method={m} conflict={conflict} units={units} />
        </Col>
      ))}
    </Row>
  );
}
