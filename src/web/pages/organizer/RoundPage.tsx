import { Card } from 'antd';

/** Placeholder until this page is built. */
export function RoundPage() {
  return <Card title="RoundPage" />;
}
