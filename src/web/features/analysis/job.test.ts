import { describe, expect, it } from 'vitest';
import { isJobDone, isJobFailed, isJobRunning, jobPercent, jobProgressStatus } from './job.ts';

describe('job progress', () => {
  it('tells a finished job from one still to run', () => {
    for (const status of ['succeeded', 'skipped', 'failed', 'dead']) {
      expect(isJobDone(status), status).toBe(true);
      expect(isJobRunning(status), status).toBe(false);
    }
    for (const status of ['queued', 'running']) {
      expect(isJobDone(status), status).toBe(false);
      expect(isJobRunning(status), status).toBe(true);
    }
    expect(isJobDone(undefined)).toBe(false);
    expect(isJobDone(null)).toBe(false);
    expect(isJobRunning(undefined)).toBe(false);
    expect(isJobDone('')).toBe(false);
    expect(isJobFailed('failed')).toBe(true);
    expect(isJobFailed('dead')).toBe(true);
    expect(isJobFailed('skipped')).toBe(false);
  });

  it('shows percent done, full once the job ended well whatever it reported', () => {
    expect(jobPercent(null)).toBe(0);
    expect(jobPercent({ status: 'queued', progress: null })).toBe(0);
    expect(jobPercent({ status: 'running', progress: 0.426 })).toBe(43);
    expect(jobPercent({ status: 'running', progress: 1.7 })).toBe(100);
    expect(jobPercent({ status: 'running', progress: -0.2 })).toBe(0);
    expect(jobPercent({ status: 'running', progress: Number.NaN })).toBe(0);
    expect(jobPercent({ status: 'skipped', progress: null })).toBe(100);
    expect(jobPercent({ status: 'succeeded', progress: 0.5 })).toBe(100);
    expect(jobPercent({ status: 'failed', progress: 0.5 })).toBe(50);
  });

  it('maps statuses to the progress bar', () => {
    expect(jobProgressStatus('queued')).toBe('normal');
    expect(jobProgressStatus('running')).toBe('active');
    expect(jobProgressStatus('succeeded')).toBe('success');
    expect(jobProgressStatus('skipped')).toBe('success');
    expect(jobProgressStatus('failed')).toBe('exception');
    expect(jobProgressStatus('dead')).toBe('exception');
  });
});
