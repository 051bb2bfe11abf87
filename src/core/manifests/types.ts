// Shapes shared by the manifest validators (Compose, Kubernetes). Validators
// work on plain values and name what they complain about by a path into the
// document; the YAML layer (yamlDocument.ts) turns paths into exact ranges, so
// no checker ever deals with source positions.

import type { Position, Range } from '../dockerfile/types';
export type { Position, Range };

export type ManifestSeverity = 'error' | 'warning' | 'info';

/** Keys and sequence indexes from the document root, e.g. ['services', 'web', 'ports', 0]. */
export type ValuePath = readonly (string | number)[];

/** A mechanical repair: replace the text at the finding's key or value. */
export interface PathFix {
  title: string;
  /** Which part of the node at `path` the replacement covers. */
  target: 'key' | 'value';
  replacement: string;
}

/** A finding before it has a position: what is wrong, and where by path. */
export interface PathFinding {
  path: ValuePath;
  /** Point at the mapping key of the last path segment (unknown or misspelt keys) or at its value. */
  target: 'key' | 'value';
  code: string;
  severity: ManifestSeverity;
  message: string;
  fixes?: PathFix[];
}

export interface TextFix {
  title: string;
  range: Range;
  newText: string;
}

/** A positioned finding, what editors and the CLI show. Positions are 0-based. */
export interface ManifestDiagnostic {
  range: Range;
  code: string;
  severity: ManifestSeverity;
  message: string;
  fixes?: TextFix[];
}
