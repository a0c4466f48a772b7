import { Card } from 'antd';

/** Placeholder until this page is built. */
export function InboxPage() {
  return <Card title="InboxPage" />;
}
