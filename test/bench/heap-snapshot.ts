// Reads V8 heap snapshots (`.heapsnapshot`) too large for one JSON.parse: the node and edge arrays are
// scanned as numbers straight from the bytes, and only the strings table goes through JSON.parse.
import { readFileSync } from 'node:fs';

export interface HeapSnapshot {
  nodeFieldCount: number;
  nodeTypes: string[];
  edgeTypes: string[];
  /** Flat, `nodeFieldCount` numbers per node: type, name, id, self_size, edge_count, … */
  nodes: Float64Array;
  /** Flat, 3 numbers per edge: type, name_or_index, to_node (an offset into `nodes`). */
  edges: Uint32Array;
  strings: string[];
  nodeCount: number;
  /** Index of each node's first edge. */
  firstEdge: Uint32Array;
}

function numbersAfter(buffer: Buffer, key: string): { values: number[]; end: number } {
  let at = buffer.indexOf(`"${key}":[`);
  if (at < 0) throw new Error(`heap snapshot without ${key}`);
  at += key.length + 4;
  const values: number[] = [];
  let current = 0;
  let inNumber = false;
  for (; at < buffer.length; at++) {
    const c = buffer[at]!;
    if (c >= 48 && c <= 57) {
      current = current * 10 + (c - 48);
      inNumber = true;
    } else {
      if (inNumber) values.push(current);
      current = 0;
      inNumber = false;
      if (c === 93) break; // ]
    }
  }
  return { values, end: at };
}

export function readHeapSnapshot(file: string): HeapSnapshot {
  const buffer = readFileSync(file);
  const metaEnd = buffer.indexOf('"nodes":[');
  const head = buffer.subarray(0, metaEnd).toString().replace(/,\s*$/, '') + '}';
  const meta = (JSON.parse(head) as { snapshot: { meta: { node_fields: string[]; node_types: [string[]]; edge_fields: string[]; edge_types: [string[]] } } }).snapshot.meta;
  const nodes = Float64Array.from(numbersAfter(buffer, 'nodes').values);
  const edges = Uint32Array.from(numbersAfter(buffer, 'edges').values);
  const stringsAt = buffer.indexOf('"strings":[') + '"strings":'.length;
  const stringsEnd = buffer.lastIndexOf(']');
  const strings = JSON.parse(buffer.subarray(stringsAt, stringsEnd + 1).toString()) as string[];
  const nodeFieldCount = meta.node_fields.length;
  const nodeCount = nodes.length / nodeFieldCount;
  const firstEdge = new Uint32Array(nodeCount + 1);
  const edgeCountField = meta.node_fields.indexOf('edge_count');
  for (let i = 0, e = 0; i < nodeCount; i++) {
    firstEdge[i] = e;
    e += nodes[i * nodeFieldCount + edgeCountField]! * 3;
    firstEdge[i + 1] = e;
  }
  return { nodeFieldCount, nodeTypes: meta.node_types[0], edgeTypes: meta.edge_types[0], nodes, edges, strings, nodeCount, firstEdge };
}

export const TYPE = 0;
export const NAME = 1;
export const ID = 2;
export const SELF_SIZE = 3;

export function nodeType(s: HeapSnapshot, i: number): string {
  return s.nodeTypes[s.nodes[i * s.nodeFieldCount + TYPE]!]!;
}

/** A node's name as the DevTools summary groups it: constructor for objects, the kind for strings and code. */
export function nodeKey(s: HeapSnapshot, i: number): string {
  const type = nodeType(s, i);
  const name = s.strings[s.nodes[i * s.nodeFieldCount + NAME]!]!;
  if (type === 'string' || type === 'concatenated string' || type === 'sliced string') return '(string)';
  if (type === 'number') return '(heap number)';
  if (type === 'code') return '(code)';
  if (type === 'closure') return `closure ${name || '(anonymous)'}`;
  if (type === 'array' || type === 'hidden' || type === 'object shape') return `(${type}) ${name.slice(0, 60)}`;
  return `${type === 'object' ? '' : `(${type}) `}${name.slice(0, 80)}`;
}

export function edgeName(s: HeapSnapshot, edge: number): string {
  const type = s.edgeTypes[s.edges[edge]!]!;
  const nameOrIndex = s.edges[edge + 1]!;
  return type === 'element' || type === 'hidden' ? `[${nameOrIndex}]` : s.strings[nameOrIndex]!;
}
