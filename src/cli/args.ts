/** What every command receives from the strict argument parser, and the usage error it may raise. */

/** Bad usage: the message, then the command's usage; exit 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    /** The command whose usage to show, if any. */
    readonly command?: string,
  ) {
    super(message);
  }
}

export interface Parsed {
  positional: string[];
  values: Record<string, string | boolean | string[] | undefined>;
}

/** A repeatable or single string option as a list. */
export function strings(p: Parsed, key: string): string[] {
  const v = p.values[key];
  return Array.isArray(v) ? v : typeof v === 'string' ? [v] : [];
}
