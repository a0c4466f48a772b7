import { Card } from 'antd';

/** Placeholder until this page is built. */
export function ReplyPage() {
  return <Card title="ReplyPage" />;
}
