import { Flex, Tag, Tooltip } from 'antd';
import { heatOpacity, shownCells, type HeatCell } from './heat.ts';

export type { HeatCell } from './heat.ts';

/**
 * A small strip of counts for one item (e.g. a clause's opinions), darker as the count grows.
 * Cells with zero are left out, so a quiet clause stays quiet.
 */
export function HeatStrip({ cells, max = 10 }: { cells: HeatCell[]; max?: number }) {
  const shown = shownCells(cells);
  if (shown.length === 0) {
    return null;
  }
  return (
    <Flex gap={4} wrap component="span" style={{ display: 'inline-flex' }}>
      {shown.map((cell) => (
        <Tooltip key={cell.key} title={`${cell.label}: ${cell.value}`}>
          <Tag
            color={cell.color}
            style={{ marginInlineEnd: 0, opacity: heatOpacity(cell.value, max) }}
            aria-label={`${cell.label}: ${cell.value}`}
          >
            {cell.label} {cell.value}
          </Tag>
        </Tooltip>
      ))}
    </Flex>
  );
}
