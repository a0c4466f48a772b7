import { Flex, Form, Select, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Round } from '../rounds/api.ts';
import { useCanReviewAnalysis } from './api.ts';
import { ClauseSummary } from './ClauseSummary.tsx';
import { summaryRounds } from './clauses.ts';
import { analysisHref } from './links.ts';

/** A clause's 核心诉求 in one of the plan's rounds (the latest unless another is chosen), for the clause drawer. */
export function PlanClauseSummary({
  rounds,
  clauseStableId,
}: {
  rounds: readonly Round[];
  clauseStableId: string;
}) {
  const { t } = useTranslation();
  const canEdit = useCanReviewAnalysis();
  const { rounds: latest, initial } = summaryRounds(rounds);
  const [chosen, setChosen] = useState<string | undefined>();
  const roundId = chosen ?? initial;
  const id = `clause-summary-round-${clauseStableId}`;
  return (
    <Flex vertical gap={8} style={{ marginBottom: 16 }} data-testid="plan-clause-summary">
      <Typography.Title level={5} style={{ margin: 0 }}>
        {t('analysis.summaries.keyphrases')}
      </Typography.Title>
      {latest.length === 0 ? (
        <Typography.Text type="secondary">{t('analysis.summaries.noRounds')}</Typography.Text>
      ) : (
        <>
          <Flex gap={8} wrap align="center">
            {latest.length > 1 && (
              <Form layout="inline">
                <Form.Item label={t('analysis.summaries.round')} htmlFor={id} style={{ marginBottom: 0 }}>
                  <Select
                    id={id}
                    value={roundId}
                    onChange={setChosen}
                    style={{ minWidth: 180, maxWidth: '100%' }}
                    options={latest.map((r) => ({ value: r.id, label: r.title }))}
                  />
                </Form.Item>
              </Form>
            )}
            {roundId && (
              <Link to={analysisHref(roundId, { tab: 'summaries', clause: clauseStableId })}>
                {t('analysis.summaries.toAnalysis')}
              </Link>
            )}
          </Flex>
          {roundId && (
            <ClauseSummary
              roundId={roundId}
              stableId={clauseStableId}
              canEdit={canEdit}
              showClauseText={false}
            />
          )}
        </>
      )}
    </Flex>
  );
}
