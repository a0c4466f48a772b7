/*
 * Exact and near-duplicate comments (form letters of a campaign): signatures per chunk of texts
 * (`computeSignatures`, fit for worker threads), clusters on one thread (`clusterSignatures`, or
 * `findDuplicates` for both), the exact reference (`exactSimilarPairs`, `evaluatePairs`) and people's
 * review of clusters (`confirmCluster`, `splitCluster`, `mergeClusters`).
 */
export * from './cluster.ts';
export * from './exact.ts';
export * from './links.ts';
export * from './review.ts';
export * from './shingles.ts';
export * from './signature.ts';
