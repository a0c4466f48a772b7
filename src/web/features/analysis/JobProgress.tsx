import { Alert, Flex, Progress, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../ui/ErrorAlert.tsx';
import { useFollowJob } from './api.ts';
import { isJobFailed, jobPercent, jobProgressStatus } from './job.ts';

/** A background job of the round followed to its end, as a progress bar that says what is happening. */
export function JobProgress({ jobId, roundId }: { jobId: string; roundId: string }) {
  const { t } = useTranslation();
  const job = useFollowJob(jobId, roundId);
  if (job.isError) {
    return <ErrorAlert error={job.error} onRetry={() => void job.refetch()} />;
  }
  const status = job.data?.status ?? 'queued';
  return (
    <Flex vertical gap={4} data-testid="analysis-job" data-status={status}>
      <Typography.Text>
        {t('analysis.job.title', { status: t(`analysis.jobStatuses.${status}`, { defaultValue: status }) })}
      </Typography.Text>
      <Progress
        percent={jobPercent(job.data)}
        status={jobProgressStatus(status)}
        aria-label={t('analysis.job.progress')}
      />
      {isJobFailed(status) && job.data?.lastError && (
        <Alert type="warning" showIcon title={t('analysis.job.error', { message: job.data.lastError })} />
      )}
    </Flex>
  );
}
