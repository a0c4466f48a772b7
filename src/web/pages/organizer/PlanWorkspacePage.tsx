import { Card } from 'antd';

/** Placeholder until this page is built. */
export function PlanWorkspacePage() {
  return <Card title="PlanWorkspacePage" />;
}
