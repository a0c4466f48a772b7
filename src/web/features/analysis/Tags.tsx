import { Flex, Tag, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { ClusterStatus, Figure, LabelSource, OpinionBrief, Stance } from './api.ts';
import { figureDetail } from './figures.ts';
import type { AnalysisTab } from './links.ts';
import { analysisHref, opinionName } from './links.ts';
import { STANCE_COLORS, scoreText } from './stance.ts';

/** An opinion's stance, or "not analysed" when it has none yet. */
export function StanceTag({ stance }: { stance: Stance | null | undefined }) {
  const { t } = useTranslation();
  return stance ? (
    <Tag color={STANCE_COLORS[stance]}>{t(`analysis.stances.${stance}`)}</Tag>
  ) : (
    <Tag>{t('analysis.stances.unknown')}</Tag>
  );
}

/** Who gave a label: the machine (with its score) or a person. */
export function SourceTag({ source, score }: { source: LabelSource; score?: number | null }) {
  const { t } = useTranslation();
  return source === 'human' ? (
    <Tag color="purple">{t('analysis.source.human')}</Tag>
  ) : (
    <Tag>
      {t('analysis.source.machine')}
      {typeof score === 'number' ? ` ${scoreText(score)}` : ''}
    </Tag>
  );
}

const CLUSTER_COLORS: Record<ClusterStatus, string> = { machine: 'gold', confirmed: 'green', edited: 'blue' };

export function ClusterStatusTag({ status }: { status: ClusterStatus }) {
  const { t } = useTranslation();
  return <Tag color={CLUSTER_COLORS[status]}>{t(`analysis.clusterStatus.${status}`)}</Tag>;
}

/** Figures as tags: their own text, with what was read from it in a tooltip. */
export function FigureTags({ figures }: { figures: readonly Figure[] }) {
  const { t } = useTranslation();
  return (
    <Flex gap={4} wrap>
      {figures.map((f, i) => {
        const detail = figureDetail(f, (d) => t(`analysis.directions.${d}`));
        return (
          <Tooltip key={`${f.text}-${i}`} title={detail || undefined}>
            <Tag color="geekblue">{f.text}</Tag>
          </Tooltip>
        );
      })}
    </Flex>
  );
}

/** Why two opinions may conflict. */
export function ReasonTag({ reason }: { reason: string }) {
  const { t } = useTranslation();
  return <Tag color="volcano">{t(`analysis.reasons.${reason}`, { defaultValue: reason })}</Tag>;
}

/** Who wrote an opinion, and its number as a link that opens it on the analysis page. */
export function OpinionWho({
  opinion,
  roundId,
  tab,
}: {
  opinion: Pick<OpinionBrief, 'id' | 'regNo' | 'unitId' | 'unitName'>;
  roundId: string;
  tab: AnalysisTab;
}) {
  const { t } = useTranslation();
  return (
    <Flex gap={6} wrap align="center">
      <Link to={analysisHref(roundId, { tab, opinion: opinion.id })}>{opinionName(opinion)}</Link>
      <Typography.Text type="secondary">
        {opinion.unitName ?? (opinion.unitId ? '' : t('analysis.public'))}
      </Typography.Text>
    </Flex>
  );
}
