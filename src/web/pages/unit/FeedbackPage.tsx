import { Card } from 'antd';

/** Placeholder until this page is built. */
export function FeedbackPage() {
  return <Card title="FeedbackPage" />;
}
