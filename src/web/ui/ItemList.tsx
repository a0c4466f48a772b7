import { theme } from 'antd';
import type { CSSProperties, Key, ReactNode } from 'react';

/**
 * A plain list of items, announced as a list: rows split by a line, or a grid of `columns` minimum width.
 */
export function ItemList<T>({
  items,
  itemKey,
  render,
  minColumnWidth,
  itemProps,
}: {
  items: readonly T[];
  itemKey: (item: T) => Key;
  render: (item: T) => ReactNode;
  /** Lay the items out as a grid whose columns are at least this wide (px); rows otherwise. */
  minColumnWidth?: number;
  itemProps?: (item: T) => Record<`data-${string}`, string>;
}) {
  const { token } = theme.useToken();
  const grid = minColumnWidth !== undefined;
  const listStyle: CSSProperties = grid
    ? {
        display: 'grid',
        gap: 12,
        gridTemplateColumns: `repeat(auto-fill, minmax(min(${minColumnWidth}px, 100%), 1fr))`,
      }
    : {};
  return (
    <ul style={{ listStyle: 'none', margin: 0, padding: 0, ...listStyle }}>
      {items.map((item, index) => (
        <li
          key={itemKey(item)}
          {...itemProps?.(item)}
          style={
            grid
              ? undefined
              : {
                  padding: '12px 0',
                  borderTop: index === 0 ? undefined : `1px solid ${token.colorSplit}`,
                }
          }
        >
          {render(item)}
        </li>
      ))}
    </ul>
  );
}
