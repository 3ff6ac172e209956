/**
 * One interface for every fold (the way ONNX Runtime's optimizer has one `RewriteRule` per fusion):
 * how a pattern is found around a BatchNormalization, the conditions it adds, the numbers of its
 * fold (`compute`, pure), the graph edits that place them (`rewire`), and its explanation
 * (`explain`, the formulas the page shows, built from the same layout the fold uses).
 */
import type { Graph, GraphNode } from '../graph/graph';
import type { ShapeInfo } from '../graph/shapeInference';
import type { JudgeSpec } from '../rules/judge';
import type { Pair, PairOf, PairPattern } from '../rules/pair';
import type { Edits, FoldedPair } from '../rewrite/edits';
import type { FoldFormula } from './formula';

/** A tensor as plain numbers. */
export interface Dense {
  dims: number[];
  values: Float64Array;
  /** The ONNX element type the tensor is stored in. */
  dtype: number;
}

/**
 * The fold's numbers: W′ (same dims and dtype as W), and the *effective* bias b′ — what the folded
 * op adds to its output (for a Gemm, beta·C). `rewire` turns b′ into the tensor the node stores.
 */
export interface Folded {
  weight: Dense;
  bias: Dense;
}

/**
 * `after`: BN follows the op, which must be BN's producer (one of `producers`). `before`: BN feeds
 * the op; `whenFoldedBefore` says whether the pair is listed also when a fusable BN-after pair
 * already folds the same BN into the op before it (BN→Linear: yes; BN→Conv: no — Conv → BN → Conv
 * is in every conv net, and the fold into the Conv before, with no padding condition, is the one to take).
 */
export type Placement =
  | { side: 'after'; producers: readonly string[] }
  | { side: 'before'; whenFoldedBefore: boolean }
  /** A pattern with no BatchNormalization, found from another op (`find` is called with each node of type `op`). */
  | { side: 'anchor'; op: string };

export interface FoldPattern<P extends PairPattern> extends JudgeSpec<P> {
  id: P;
  /** Short label for tables and the CLI: `Linear→BN`. */
  label: string;
  /** The pattern spelled out, for prose and reports: `Linear→BatchNormalization`. */
  name: string;
  /** What the op BN folds into is called in a report's column: `Linear` or `Conv`. */
  opLabel: string;
  /** Position in the pairs panel (Linear→BN first). */
  order: number;
  /**
   * Adds to `into` the pairs of this pattern around `bn` and says whether there were any: for
   * patterns where BN comes after the op, at most one (BN's producer decides; of the patterns
   * listing that producer, the first that finds a pair claims the BN); for BN→Linear and BN→Conv,
   * one per reader of BN's output. (Pushing, not returning arrays: this runs for every BN.)
   */
  find(g: Graph, shapes: ShapeInfo, anchor: GraphNode, into: Pair[]): boolean;
  /** Where BN sits: after the op it folds into (which BN's producer must be), or before it; or the op a pattern without BN starts from. */
  placement: Placement;
  compute(g: Graph, pair: PairOf<P>): Folded;
  rewire(g: Graph, pair: PairOf<P>, folded: Folded, e: Edits): FoldedPair;
  explain(pair: PairOf<P>): FoldFormula;
}
