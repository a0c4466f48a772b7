import { Card } from 'antd';

/** Placeholder until this page is built. */
export function RoundWizardPage() {
  return <Card title="RoundWizardPage" />;
}
