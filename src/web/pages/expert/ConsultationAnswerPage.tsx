import { Flex } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { AnswerForm } from '../../features/experts/AnswerForm.tsx';

export function ConsultationAnswerPage() {
  const { t } = useTranslation();
  const { consultationId = '' } = useParams();
  return (
    <Flex vertical gap={12}>
      <Link to="/expert">{t('integration.experts.backToInbox')}</Link>
      <AnswerForm consultationId={consultationId} />
    </Flex>
  );
}
