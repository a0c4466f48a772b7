import { Card } from 'antd';

/** Placeholder until this page is built. */
export function RevisionPage() {
  return <Card title="RevisionPage" />;
}
