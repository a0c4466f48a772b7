/** The fields of a `concord analyze` output line, in the order they are written. */
export const ANALYZE_LINE_FIELDS = [
  'id',
  'cluster',
  'clusterSize',
  'duplicateOf',
  'topics',
  'stance',
  'quality',
  'keyphrases',
  'figures',
];
