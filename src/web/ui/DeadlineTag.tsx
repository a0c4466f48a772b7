import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { deadlineColor, deadlineState } from './deadline.ts';

/** "剩余 N 个工作日" / "已逾期 N 个工作日" with the deadline date. */
export function DeadlineTag({
  workingDaysLeft,
  deadline,
  done,
}: {
  workingDaysLeft: number;
  deadline: string;
  done: boolean;
}) {
  const { t } = useTranslation();
  const state = deadlineState(workingDaysLeft, done);
  const text =
    state === 'done'
      ? t('inbox.deadlineOn', { date: deadline })
      : workingDaysLeft < 0
        ? t('inbox.overdue', { count: -workingDaysLeft })
        : workingDaysLeft === 0
          ? t('inbox.dueToday')
          : t('inbox.daysLeft', { count: workingDaysLeft });
  return (
    <Tag color={deadlineColor[state]} data-testid="deadline">
      {text}
    </Tag>
  );
}
