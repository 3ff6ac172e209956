/** Names visible in a graph and, through `parent`, in the graphs around it (ONNX's outer scope). */
export interface Scope {
  names: Set<string>;
  parent: Scope | null;
}

export function newScope(parent: Scope | null): Scope {
  return { names: new Set(), parent };
}

export function inScope(s: Scope | null, name: string): boolean {
  for (let at = s; at; at = at.parent) if (at.names.has(name)) return true;
  return false;
}
