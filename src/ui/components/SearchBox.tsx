/** Search nodes by name or op type; `/` or Ctrl+F focuses it, Enter jumps to the next match. */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { Snapshot } from '../../core/session/inspectorSession';

interface Props {
  nodes: Snapshot['nodes'];
  onPick: (nodeId: string) => void;
}

export function SearchBox({ nodes, onPick }: Props) {
  const [query, setQuery] = useState('');
  const [cursor, setCursor] = useState(0);
  const [jumped, setJumped] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement;
      const typing = t.tagName === 'INPUT' || t.tagName === 'TEXTAREA';
      if ((e.key === '/' && !typing) || ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'f')) {
        e.preventDefault();
        input.current?.focus();
        input.current?.select();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const matches = useMemo(() => {
    const q = query.trim().toLowerCase();
    if (!q) return [];
    return nodes.filter((n) => n.name.toLowerCase().includes(q) || n.opType.toLowerCase().includes(q));
  }, [nodes, query]);

  const jump = (i: number) => {
    if (matches.length === 0) return;
    const k = ((i % matches.length) + matches.length) % matches.length;
    setCursor(k);
    setJumped(true);
    onPick(matches[k].id);
  };

  return (
    <div className="search">
      <input
        ref={input}
        type="search"
        placeholder="Search nodes (/)"
        aria-label="Search nodes by name or op type"
        data-testid="search"
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          setCursor(0);
          setJumped(false);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter') jump(!jumped ? 0 : e.shiftKey ? cursor - 1 : cursor + 1);
          if (e.key === 'ArrowDown') jump(cursor + 1);
          if (e.key === 'ArrowUp') jump(cursor - 1);
          if (e.key === 'Escape') input.current?.blur();
        }}
      />
      {query && <span className="muted small search-count">{matches.length === 0 ? 'no match' : `${cursor + 1}/${matches.length}`}</span>}
    </div>
  );
}
