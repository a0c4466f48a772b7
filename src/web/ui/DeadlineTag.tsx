import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { deadlineColor, deadlineMessage, deadlineState } from './deadline.ts';

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
  const message = deadlineMessage(workingDaysLeft, deadline, done);
  return (
    <Tag color={deadlineColor[state]} data-testid="deadline">
      {t(message.key, message.values)}
    </Tag>
  );
}
