/**
 * Similar rectification measures: passages from other notices that address the same problem,
 * most similar first.
 */
import type { Filters } from './filter.ts';
import type { Hit } from './search.ts';

export interface SimilarRequest {
  /** A passage in the index, or… */
  passageId?: string | undefined;
  /** …a free text (an excerpt or a question). */
  text?: string | undefined;
  filters: Filters;
  limit: number;
  /** Include passages of the query passage's own notice. */
  sameNotice: boolean;
}

export interface SimilarHit extends Hit {
  /** Cosine similarity of the embedded passages, 0..1. */
  similarity: number;
}

export interface SimilarResponse {
  passageId: string | null;
  text: string;
  tookMs: number;
  hits: SimilarHit[];
}
