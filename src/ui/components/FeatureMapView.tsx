/** Where each Linear feature lands among BatchNorm's channels: a grid, one row per feature, filled where it lands. */
import { featureMap } from '../../core/teaching/featureMap';
import type { PairView } from '../../core/session/inspectorSession';
import { FEATURE_MAP_LIMIT } from '../../core/teaching/featureMap';

export function FeatureMapView({ pair }: { pair: PairView }) {
  const m = featureMap(pair);
  if (!m) return null;
  const cols = Math.min(m.channels, FEATURE_MAP_LIMIT);
  return (
    <figure className="feature-map" data-testid="feature-map" data-one-each={String(m.oneChannelEach)}>
      <figcaption className="small">
        Where each of the Linear’s {m.features} features lands among BatchNorm’s {m.channels} channels. {m.rule}
      </figcaption>
      <table role="grid" aria-label="features (rows) by channels (columns)">
        <thead>
          <tr>
            <th scope="col">feature</th>
            {Array.from({ length: cols }, (_, c) => (
              <th key={c} scope="col">
                c{c}
              </th>
            ))}
            {m.channels > cols && <th scope="col">…</th>}
          </tr>
        </thead>
        <tbody>
          {m.channelsOf.map((chs, n) => {
            const set = new Set(chs);
            const one = chs.length === 1;
            return (
              <tr key={n} className={one ? 'one' : 'many'}>
                <th scope="row">{n}</th>
                {Array.from({ length: cols }, (_, c) => (
                  <td key={c} className={set.has(c) ? 'hit' : ''} aria-label={set.has(c) ? `feature ${n} in channel ${c}` : undefined}>
                    {set.has(c) ? (one ? '●' : '◆') : ''}
                  </td>
                ))}
                {m.channels > cols && <td>{chs.some((c) => c >= cols) ? '…' : ''}</td>}
              </tr>
            );
          })}
          {m.features > m.channelsOf.length && (
            <tr>
              <th scope="row">…</th>
            </tr>
          )}
        </tbody>
      </table>
      <p className={`small ${m.oneChannelEach ? 'ok-text' : 'error-text'}`}>
        {m.oneChannelEach
          ? '● Every feature lands in exactly one channel: one scale per feature.'
          : '◆ Some feature lands in several channels (or none): it would need several scales, and the weight has one number per feature.'}
      </p>
    </figure>
  );
}
