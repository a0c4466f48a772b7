import { Typography } from 'antd';

/** User-supplied text, rendered as text (never HTML), keeping its line breaks. */
export function PlainText({ text, type }: { text: string | null | undefined; type?: 'secondary' }) {
  if (!text) {
    return null;
  }
  return (
    <Typography.Paragraph type={type} style={{ whiteSpace: 'pre-wrap', marginBottom: 4 }}>
      {text}
    </Typography.Paragraph>
  );
}
